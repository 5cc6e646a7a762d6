"""``dozvon managers import FILE``: the staff list from a CSV or XLSX table.

Read like every import (encoding and delimiter detected, XLSX's first sheet), checked whole,
applied in one transaction; ``--dry-run`` applies nothing, ``--report`` writes the rejected
rows back with their line and reason. Importing the same file again changes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from config import Settings
from hub.cli.common import Commands, database
from hub.cli.imports import show, source_arguments


def add(managers: Commands) -> None:
    """Add ``import`` to the ``dozvon managers`` subcommands."""
    source = managers.add_parser(
        "import",
        help="create and update managers from a CSV or XLSX table "
        "(name, role, extension, mobile, supervisor, email, max)",
    )
    source_arguments(source, "the staff list (.csv or .xlsx)")
    source.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_import(settings, args))


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    from hub.services.import_report import write_report
    from hub.services.spreadsheets import CsvFormatError
    from hub.services.staff_import import import_staff, read_staff

    delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    try:
        rows, table = read_staff(args.file, encoding=args.encoding, delimiter=delimiter)
    except CsvFormatError as exc:
        print(f"dozvon: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"dozvon: {args.file}: {exc}", file=sys.stderr)
        return 2
    print(f"{args.file}: {len(rows)} rows, {table.describe()}", file=sys.stderr)
    async with database(settings, dry_run=args.dry_run) as opened:
        report = await import_staff(
            opened.sessions, rows, region=settings.phone.default_region, dry_run=args.dry_run
        )
    show("rejected", report.rejected)
    if args.report:
        write_report(args.report, table, sorted(report.rejected))
    verb = "would be" if args.dry_run else "were"
    print(
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.rejected)} rejected ({verb} applied)"
    )
    return 1 if report.rejected else 0
