"""``dozvon import clients|sales FILE``: bulk imports from CSV or XLSX exports."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from config import Settings
from hub.cli.alerting import alerting
from hub.cli.common import Commands, database
from hub.runtime.loops import keep_collector_away


def add(commands: Commands) -> None:
    imports = commands.add_parser("import", help="bulk imports").add_subparsers(
        dest="import_command", required=True
    )
    for what, about in (
        ("clients", "upsert client cards from a CSV or XLSX export"),
        (
            "sales",
            "add sales (client by name or phone, date, amount) from a CSV or XLSX export, "
            "once each",
        ),
    ):
        source = imports.add_parser(what, help=about)
        source_arguments(source, "the exported file (.csv or .xlsx)")
        source.add_argument("--quiet", action="store_true", help="no progress bar")
        if what == "clients":
            source.add_argument(
                "--update-names",
                action="store_true",
                help="a card matched by phone takes the file's name (default: kept, reported)",
            )
        source.set_defaults(run=run)


def source_arguments(source: argparse.ArgumentParser, about_file: str) -> None:
    """What every import takes: the file, how to read it, the report, a dry run."""
    source.add_argument("file", type=Path, help=about_file)
    source.add_argument("--encoding", help="e.g. utf-8, cp1251 (default: detected)")
    source.add_argument("--delimiter", help="e.g. ';' or ',' or 'tab' (default: detected)")
    source.add_argument(
        "--report",
        type=Path,
        help="write the rejected rows (their columns, line and reason) to this CSV file",
    )
    source.add_argument("--dry-run", action="store_true", help="check everything, store nothing")


def run(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_import(settings, args))


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from hub.domain.phone import Normalizer
    from hub.services.client_status import StatusRules
    from hub.services.csv_source import SourceRow, read_clients
    from hub.services.import_report import write_report
    from hub.services.importer import import_clients
    from hub.services.sales_import import import_sales
    from hub.services.sales_source import SaleRow, read_sales
    from hub.services.spreadsheets import CsvFormatError

    # What is read, and the directory the import loads, live to the end of the command: the
    # garbage collector's passes would scan them again and again (a fifth of a big import's
    # time, and of reading its file). Rarer passes while reading; the rows frozen once read.
    keep_collector_away()
    delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    client_rows: list[SourceRow] = []
    sale_rows: list[SaleRow] = []
    try:
        if args.import_command == "sales":
            sale_rows, table = read_sales(args.file, encoding=args.encoding, delimiter=delimiter)
        else:
            client_rows, table = read_clients(
                args.file, encoding=args.encoding, delimiter=delimiter
            )
    except CsvFormatError as exc:
        print(f"dozvon: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"dozvon: {args.file}: {exc}", file=sys.stderr)
        return 2
    total = len(client_rows) + len(sale_rows)
    print(f"{args.file}: {total} rows, {table.describe()}", file=sys.stderr)
    keep_collector_away()
    normalize = Normalizer(settings.phone.default_region, settings.phone.internal_max_digits)
    verb = "would be" if args.dry_run else "were"
    noted: list[tuple[int, str]] = []
    async with database(settings, dry_run=args.dry_run) as opened:
        started = time.perf_counter()
        with tqdm(total=total, unit="row", disable=args.quiet, file=sys.stderr) as bar:
            if args.import_command == "sales":
                sold = await import_sales(
                    opened.sessions,
                    sale_rows,
                    normalize,
                    StatusRules.of(settings),
                    source=args.file.name,
                    dry_run=args.dry_run,
                    progress=bar.update,
                )
                rejected = sold.rejected
                summary = (
                    f"{sold.added} added, {sold.already} already there, "
                    f"{sold.statuses_changed} statuses changed, {len(rejected)} rejected"
                )
            else:
                report = await import_clients(
                    opened.sessions,
                    client_rows,
                    normalize,
                    dry_run=args.dry_run,
                    update_names=args.update_names,
                    progress=bar.update,
                    on_facts=alerting(settings),
                )
                rejected, noted = report.rejected, report.names_differ
                summary = (
                    f"{report.created} created, {report.updated} updated, "
                    f"{report.unchanged} unchanged, {len(rejected)} rejected"
                )
                if noted:
                    summary += f", {len(noted)} matched by phone, name differs"
    elapsed = time.perf_counter() - started
    show("rejected", rejected)
    show("note", noted)
    if args.report:
        write_report(args.report, table, sorted([*rejected, *noted]))
    print(f"{summary} ({verb} applied in {elapsed:.1f}s)")
    return 1 if rejected else 0


def show(what: str, lines: list[tuple[int, str]]) -> None:
    """The first fifty of ``lines`` on stderr, and how many more there are."""
    for line, reason in lines[:50]:
        print(f"line {line}: {what}: {reason}", file=sys.stderr)
    if len(lines) > 50:
        print(f"... and {len(lines) - 50} more ({what})", file=sys.stderr)
