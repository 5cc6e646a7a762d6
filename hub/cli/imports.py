"""``dozvon import clients|sales FILE``: bulk imports from CSV exports."""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from config import Settings
from hub.cli.common import Commands, database

if TYPE_CHECKING:
    from notifications.alerts import Alerts


def add(commands: Commands) -> None:
    imports = commands.add_parser("import", help="bulk imports").add_subparsers(
        dest="import_command", required=True
    )
    for what, about in (
        ("clients", "upsert client cards from a CSV export"),
        ("sales", "add sales (client by name or phone, date, amount) from a CSV export, once each"),
    ):
        source = imports.add_parser(what, help=about)
        source.add_argument("file", type=Path, help="the exported file")
        source.add_argument("--encoding", help="e.g. utf-8, cp1251 (default: detected)")
        source.add_argument("--delimiter", help="e.g. ';' or ',' or 'tab' (default: detected)")
        source.add_argument("--report", type=Path, help="write rejected rows to this CSV file")
        source.add_argument(
            "--dry-run", action="store_true", help="check everything, store nothing"
        )
        source.add_argument("--quiet", action="store_true", help="no progress bar")
        source.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_import(settings, args))


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from hub.domain.phone import Normalizer
    from hub.services.client_status import StatusRules
    from hub.services.csv_source import CsvFormatError, SourceRow, read_rows
    from hub.services.importer import import_clients
    from hub.services.sales_import import import_sales
    from hub.services.sales_source import SaleRow, read_sales

    delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    client_rows: list[SourceRow] = []
    sale_rows: list[SaleRow] = []
    try:
        if args.import_command == "sales":
            sale_rows, encoding, sep = read_sales(
                args.file, encoding=args.encoding, delimiter=delimiter
            )
        else:
            client_rows, encoding, sep = read_rows(
                args.file, encoding=args.encoding, delimiter=delimiter
            )
    except (CsvFormatError, OSError) as exc:
        print(f"dozvon: {args.file}: {exc}", file=sys.stderr)
        return 2
    total = len(client_rows) + len(sale_rows)
    print(f"{args.file}: {total} rows, encoding {encoding}, delimiter {sep!r}", file=sys.stderr)
    normalize = Normalizer(settings.phone.default_region, settings.phone.internal_max_digits)
    verb = "would be" if args.dry_run else "were"
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
                    progress=bar.update,
                    on_facts=_alerts(settings).react,
                )
                rejected = report.rejected
                summary = (
                    f"{report.created} created, {report.updated} updated, "
                    f"{report.unchanged} unchanged, {len(rejected)} rejected"
                )
    elapsed = time.perf_counter() - started
    for line, reason in rejected[:50]:
        print(f"line {line}: rejected: {reason}", file=sys.stderr)
    if len(rejected) > 50:
        print(f"... and {len(rejected) - 50} more rejected rows", file=sys.stderr)
    if args.report:
        with args.report.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "reason"])
            writer.writerows(rejected)
    print(f"{summary} ({verb} applied in {elapsed:.1f}s)")
    return 1 if rejected else 0


def _alerts(settings: Settings) -> Alerts:
    """The alerts about cases a command settles (an import that gives a number a card edits
    them); the running service delivers them from the outbox."""
    from zoneinfo import ZoneInfo

    from hub.domain.clock import SystemClock
    from notifications.alerts import Alerts

    return Alerts(
        settings.telegram.language,
        ZoneInfo(settings.company.timezone),
        settings.escalation.after.total_seconds(),
        SystemClock(),
    )
