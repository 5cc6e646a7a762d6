"""The ``dozvon`` command: serve, migrate, import clients and sales, invite staff, issue tokens,
sign."""

from __future__ import annotations

import argparse
import asyncio
import csv
import logging
import secrets
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from config import ConfigError, Settings, load_settings
from config.settings import AdminSettings
from connectors.registry import SETTINGS as CONNECTOR_SETTINGS

if TYPE_CHECKING:
    from notifications.alerts import Alerts

log = logging.getLogger("dozvon")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dozvon", description=__doc__)
    parser.add_argument("--config", help="TOML config file (default: $DOZVON_CONFIG, if set)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="apply migrations and run the HTTP service")

    db = commands.add_parser("db", help="database migrations").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="migrate to the newest revision")
    down = db.add_parser("downgrade", help="migrate back to a revision ('base' drops all)")
    down.add_argument("revision")
    db.add_parser("current", help="print the current and the newest revision")

    imports = commands.add_parser("import", help="bulk imports").add_subparsers(
        dest="import_command", required=True
    )
    for what, about in (
        ("clients", "upsert client cards from a CSV export"),
        ("sales", "add sales (client by name or phone, date, amount) from a CSV export, once each"),
    ):
        source = imports.add_parser(what, help=about)
        source.add_argument("file", type=Path)
        source.add_argument("--encoding", help="e.g. utf-8, cp1251 (default: detected)")
        source.add_argument("--delimiter", help="e.g. ';' or ',' or 'tab' (default: detected)")
        source.add_argument("--report", type=Path, help="write rejected rows to this CSV file")
        source.add_argument(
            "--dry-run", action="store_true", help="check everything, store nothing"
        )
        source.add_argument("--quiet", action="store_true", help="no progress bar")

    tokens = commands.add_parser("token", help="API tokens").add_subparsers(
        dest="token_command", required=True
    )
    create = tokens.add_parser("create", help="issue a token and print its secret once")
    create.add_argument("name")
    create.add_argument("--role", choices=["admin", "manager", "pbx", "viewer"], required=True)

    managers = commands.add_parser("managers", help="staff").add_subparsers(
        dest="managers_command", required=True
    )
    invite = managers.add_parser("invite", help="print a one-time Telegram invite link")
    invite.add_argument("manager", help="the manager's extension, id or exact name")

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
        report.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        report.add_argument("--output", type=Path, help="write here (default: CSV to stdout)")

    sign = commands.add_parser("sign", help="print X-Dozvon-Signature for a body read from stdin")
    sign.add_argument("--secret", help="hook secret (default: hooks.generic_secret)")
    return parser


async def _upgrade(settings: Settings) -> None:
    from hub.bootstrap.database import open_database

    async with open_database(settings.database, migrate=True):
        pass


async def _db(settings: Settings, args: argparse.Namespace) -> int:
    from hub.bootstrap.database import open_database
    from storage.migrate import current_revision, downgrade, head_revision, upgrade

    async with open_database(settings.database) as opened:
        engine = opened.engine
        if args.db_command == "upgrade":
            await upgrade(engine)
            print(f"database at revision {await current_revision(engine)}")
        elif args.db_command == "downgrade":
            await downgrade(engine, args.revision)
            print(f"database at revision {await current_revision(engine)}")
        else:
            print(f"current: {await current_revision(engine)}  head: {head_revision()}")
    return 0


def _serve(settings: Settings) -> int:
    from aiohttp import web

    from hub.app import create_app

    asyncio.run(_upgrade(settings))
    if settings.admin.token is None:
        token = secrets.token_urlsafe(24)
        settings = settings.model_copy(update={"admin": AdminSettings(token=SecretStr(token))})
        log.warning(
            "no admin token configured (DOZVON_ADMIN__TOKEN); for this run it is: %s", token
        )
    if settings.hooks.generic_secret is None:
        log.warning("no generic hook secret (DOZVON_HOOKS__GENERIC_SECRET): the hook is disabled")
    log.info("listening on http://%s:%d", settings.http.host, settings.http.port)
    web.run_app(
        create_app(settings),
        host=settings.http.host,
        port=settings.http.port,
        print=None,
        access_log=None,
    )
    return 0


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from hub.bootstrap.database import open_database
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
    async with open_database(settings.database, migrate=True) as opened:
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


async def _token(settings: Settings, args: argparse.Namespace) -> int:
    from hub.bootstrap.database import open_database
    from hub.services.directory.commands import TokenCreate
    from hub.services.directory.tokens import issue_token
    from storage.uow import UnitOfWork

    async with (
        open_database(settings.database, migrate=True) as opened,
        UnitOfWork(opened.sessions) as uow,
    ):
        issued = await issue_token(uow, TokenCreate(name=args.name, role=args.role), actor="cli")
        await uow.commit()
    print(issued.secret)
    return 0


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    from hub.bootstrap.database import open_database
    from hub.domain.clock import SystemClock
    from hub.domain.errors import DozvonError
    from hub.domain.people import invite_link
    from hub.services.directory.invites import find_manager, issue_invite
    from notifications.telegram import create_bot
    from storage.uow import UnitOfWork

    telegram = settings.telegram
    if telegram.token is None:
        print("dozvon: no Telegram bot: set DOZVON_TELEGRAM__TOKEN", file=sys.stderr)
        return 2
    bot = create_bot(
        telegram.token.get_secret_value(), api_base=telegram.api_base, proxy=telegram.proxy
    )
    try:
        me = await bot.get_me()
    except Exception as exc:
        print(f"dozvon: Telegram did not answer getMe: {exc}", file=sys.stderr)
        return 1
    finally:
        await bot.session.close()
    try:
        async with (
            open_database(settings.database, migrate=True) as opened,
            UnitOfWork(opened.sessions) as uow,
        ):
            manager = await find_manager(uow, args.manager)
            code, created = await issue_invite(
                uow, manager.id, actor="cli", ttl=telegram.invite_ttl, now=SystemClock().now()
            )
            await uow.commit()
    except DozvonError as exc:
        print(f"dozvon: {exc.message}", file=sys.stderr)
        return 2
    print(f"{manager.name}: {invite_link(me.username or str(me.id), code)}")
    print(f"valid until {created.expires_at:%Y-%m-%d %H:%M} UTC, once", file=sys.stderr)
    return 0


async def _report(settings: Settings, args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from hub.bootstrap.database import open_database
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
    async with open_database(settings.database, migrate=True) as opened:
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


def _sign(settings: Settings, args: argparse.Namespace) -> int:
    from connectors.generic import sign

    secret = args.secret or (
        settings.hooks.generic_secret.get_secret_value() if settings.hooks.generic_secret else None
    )
    if not secret:
        print(
            "dozvon: no secret: pass --secret or set DOZVON_HOOKS__GENERIC_SECRET", file=sys.stderr
        )
        return 2
    print(sign(secret, sys.stdin.buffer.read(), int(time.time())))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config, connector_types=CONNECTOR_SETTINGS)
    except ConfigError as exc:
        print(f"dozvon: configuration error: {exc}", file=sys.stderr)
        return 2
    from hub.logs import configure_logging

    configure_logging(settings.log)
    if args.command == "serve":
        return _serve(settings)
    if args.command == "db":
        return asyncio.run(_db(settings, args))
    if args.command == "import":
        return asyncio.run(_import(settings, args))
    if args.command == "token":
        return asyncio.run(_token(settings, args))
    if args.command == "managers":
        return asyncio.run(_invite(settings, args))
    if args.command == "report":
        return asyncio.run(_report(settings, args))
    return _sign(settings, args)


if __name__ == "__main__":
    sys.exit(main())
