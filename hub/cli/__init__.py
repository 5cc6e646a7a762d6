"""The ``dozvon`` command: serve, migrate, import clients and sales, invite staff, issue tokens,
run reports, sign. Each command lives in a module of its own, which adds its parser and says what
runs it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from config import ConfigError, load_settings
from connectors.messengers import MESSENGER_SETTINGS
from connectors.registry import SETTINGS as CONNECTOR_SETTINGS
from hub.cli import calendar, db, imports, managers, reports, serve, sign, tokens

COMMANDS = (serve, db, imports, tokens, managers, calendar, reports, sign)


def _version() -> str:
    try:
        return version("dozvon")
    except PackageNotFoundError:
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dozvon", description="Dozvon: calls and messages routed to each client's manager."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("--config", help="TOML config file (default: $DOZVON_CONFIG, if set)")
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(
            args.config,
            connector_types=CONNECTOR_SETTINGS,
            messenger_types=MESSENGER_SETTINGS,
        )
    except ConfigError as exc:
        print(f"dozvon: configuration error: {exc}", file=sys.stderr)
        return 2
    from hub.domain.errors import DozvonError
    from hub.logs import configure_logging
    from storage.db import DatabaseUnreachable

    configure_logging(settings.log)
    try:
        code: int = args.run(settings, args)
    except DatabaseUnreachable as exc:
        print(f"dozvon: {exc}", file=sys.stderr)
        return 1
    except DozvonError as exc:  # what was asked cannot be done: said in one line
        print(f"dozvon: {exc.message}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
