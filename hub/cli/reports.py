"""``dozvon report``: the reports as CSV or XLSX."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from config import Settings
from hub.cli.common import Commands, database


def add(commands: Commands) -> None:
    reports = commands.add_parser("report", help="reports as CSV or XLSX").add_subparsers(
        dest="report_command", required=True
    )
    for what, about in (
        ("unregistered", "numbers that called a manager in the month and are still nobody's"),
        ("kpi", "the KPI «контакты уточнены» per manager for the month"),
        ("forgotten", "clients nobody has talked to for --days (default clients.forgotten_after)"),
    ):
        report = reports.add_parser(what, help=about)
        if what == "forgotten":
            report.add_argument("--days", type=int, help="days without a conversation")
        else:
            report.add_argument("--month", help="YYYY-MM (default: this month)")
        report.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="the format")
        report.add_argument("--output", type=Path, help="write here (default: CSV to stdout)")
        report.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_report(settings, args))


async def _report(settings: Settings, args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from hub.domain.clock import SystemClock
    from hub.domain.errors import DozvonError
    from hub.domain.month import Month
    from hub.services.links import load_links
    from hub.services.reports.files import csv_bytes, csv_text, xlsx_bytes
    from hub.services.reports.tables import report_table
    from storage.uow import UnitOfWork

    if args.format == "xlsx" and args.output is None:
        print("dozvon: --format xlsx needs --output FILE", file=sys.stderr)
        return 2
    zone, now = ZoneInfo(settings.company.timezone), SystemClock().now()
    days = getattr(args, "days", None) or settings.clients.forgotten_after.days
    try:
        month_text = getattr(args, "month", None)
        month = Month.parse(month_text) if month_text else Month.of(now.astimezone(zone).date())
        if days < 1:
            raise DozvonError("--days must be at least 1")
    except DozvonError as exc:
        print(f"dozvon: {exc.message}", file=sys.stderr)
        return 2
    http = settings.http
    async with database(settings) as opened:
        links = await load_links(
            opened.sessions,
            SystemClock(),
            configured=http.link_secret.get_secret_value() if http.link_secret else None,
            public_url=http.public_url,
            ttl=http.link_ttl,
        )
        async with UnitOfWork(opened.sessions, read_only=True) as uow:
            table = await report_table(
                uow,
                args.report_command,
                month=month,
                days=days,
                now=now,
                zone=zone,
                language=settings.telegram.language,
                link=links.in_file,
            )
    if args.output is None:
        sys.stdout.write(csv_text(table))
    else:
        args.output.write_bytes(xlsx_bytes(table) if args.format == "xlsx" else csv_bytes(table))
        print(f"{args.output}: {len(table.rows)} rows", file=sys.stderr)
    return 0
