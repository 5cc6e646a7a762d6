"""``dozvon calendar``: the company calendar — import a year's production calendar, show a year."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from config import Settings
from hub.cli.common import Commands, database, table

COLUMNS = {"date": ("date", "дата", "день"), "kind": ("kind", "type", "тип", "вид", "день недели")}


def add(commands: Commands) -> None:
    calendar = commands.add_parser("calendar", help="the company calendar").add_subparsers(
        dest="action", required=True
    )
    load = calendar.add_parser(
        "import",
        help="load production calendar days (CSV or XLSX: date, kind); each year in the file "
        "replaces what that year had",
    )
    load.add_argument(
        "file",
        type=Path,
        help="columns date (2027-01-08 or 08.01.2027) and kind "
        "(holiday/выходной, short/сокращённый, working/рабочий)",
    )
    load.add_argument("--dry-run", action="store_true", help="check the file, store nothing")
    load.set_defaults(run=lambda settings, args: asyncio.run(_import(settings, args)))
    show = calendar.add_parser("show", help="a year's special days and working days per month")
    show.add_argument("--year", type=int, help="default: this year")
    show.set_defaults(run=lambda settings, args: asyncio.run(_show(settings, args)))


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    from hub.services.calendar import put_year, year_days
    from hub.services.spreadsheets import CsvFormatError, read_table
    from storage.uow import UnitOfWork

    try:
        found = read_table(args.file, COLUMNS)
    except (CsvFormatError, OSError) as exc:
        print(f"dozvon: {exc}", file=sys.stderr)
        return 2
    missing = [c for c in COLUMNS if c not in found.columns]
    if missing:
        print(
            f"dozvon: {args.file}: no {' or '.join(missing)} column in the header {found.header}",
            file=sys.stderr,
        )
        return 2
    at, kind = found.columns["date"][0], found.columns["kind"][0]
    by_year: dict[int, list[tuple[str, str]]] = {}
    for line, row in found.rows:
        day = row[at] if at < len(row) else ""
        digits = day.strip()[-4:] if "." in day else day.strip()[:4]
        if not digits.isdigit():
            print(f"dozvon: line {line}: {day!r} is not a date like 2027-01-08", file=sys.stderr)
            return 2
        by_year.setdefault(int(digits), []).append((day, row[kind] if kind < len(row) else ""))
    years = {
        year: year_days(year, entries, where=f"{args.file.name} {year}")
        for year, entries in sorted(by_year.items())
    }
    async with (
        database(settings, dry_run=args.dry_run) as opened,
        UnitOfWork(opened.sessions) as uow,
    ):
        for year, days in years.items():
            await put_year(uow, year, days, actor="cli")
        if not args.dry_run:
            await uow.commit()
    verb = "would be" if args.dry_run else "were"
    for year, days in years.items():
        kinds = {k: sum(1 for v in days.values() if v == k) for k in set(days.values())}
        summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        print(f"{year}: {len(days)} days ({summary}) {verb} stored")
    return 0


async def _show(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from hub.bootstrap.directory import company_calendar
    from hub.services.calendar import stored_calendar, year_view
    from storage.uow import UnitOfWork

    zone = ZoneInfo(settings.company.timezone)
    year = args.year or datetime.now(UTC).astimezone(zone).year
    async with database(settings) as opened, UnitOfWork(opened.sessions, read_only=True) as uow:
        stored = await stored_calendar(uow)
    view = year_view(company_calendar(settings).merged(stored), stored, year)
    print(
        table(
            ["date", "kind", "kept in"], [[d["date"], d["kind"], d["source"]] for d in view["days"]]
        )
    )
    months = view["working_days"]
    print("working days: " + ", ".join(f"{m[-2:]}: {n}" for m, n in months.items()))
    return 0
