"""What the commands share: the subcommand table each adds itself to, and the database a command
works on — said on stderr, never made by accident, untouched by a dry run."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import AsyncIterator
from typing import TypeAlias

from config import Settings
from hub.bootstrap.database import Database, open_database
from storage.db import DatabaseUnreachable, shown_url
from storage.migrate import current_revision, head_revision

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

IN_MEMORY = "sqlite+aiosqlite:///:memory:"


@contextlib.asynccontextmanager
async def database(
    settings: Settings, *, migrate: bool = True, dry_run: bool = False
) -> AsyncIterator[Database]:
    """The configured database, named on stderr; ``migrate``: brought to the newest schema.

    A ``dry_run`` writes nothing anywhere: a database that does not exist yet is not made (the
    run checks against an empty one in memory), and one at an older schema is not migrated."""
    config = settings.database
    shown = shown_url(config.url)
    if dry_run and config.sqlite_file is not None and not config.sqlite_file.exists():
        print(
            f"database: {shown} does not exist yet: checking against an empty one",
            file=sys.stderr,
        )
        config = config.model_copy(update={"url": IN_MEMORY})
    else:
        print(f"database: {shown}", file=sys.stderr)
        migrate = migrate and not dry_run
    async with open_database(config, migrate=migrate) as opened:
        if dry_run and config.url != IN_MEMORY:
            current = await current_revision(opened.engine)
            if current != head_revision():
                raise DatabaseUnreachable(
                    f"the database {shown} is at revision {current}, not the newest: "
                    "run `dozvon db upgrade` first (a dry run changes nothing)"
                )
        yield opened


def table(header: list[str], rows: list[list[str]]) -> str:
    """Rows as aligned plain-text columns under ``header`` (what a person reads in a terminal)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [header, *rows]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in lines
    )
