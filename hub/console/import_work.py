"""Starting an import from the console: the uploaded file read (off the event loop) into rows,
then the clients' or the sales' import run in the background with this service's resources —
its database, clock, numbers, the alerts of the cases it settles or hands over — as the person
who uploaded
it; routing learns the new cards when it ends."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from aiohttp import web

from hub.bootstrap.console import IMPORTS
from hub.bootstrap.core import CLOCK, NORMALIZER, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.directory import DIRECTORY
from hub.bootstrap.pipeline import HANDLERS
from hub.services.client_status import StatusRules
from hub.services.csv_source import SourceRow, read_clients
from hub.services.import_runs import ImportRun
from hub.services.importer import import_clients
from hub.services.sales_import import import_sales
from hub.services.sales_source import SaleRow, read_sales
from hub.services.spreadsheets import CsvFormatError, Table

KINDS = ("clients", "sales")


def _read(
    kind: str, data: bytes, filename: str, suffix: str
) -> tuple[list[SourceRow] | list[SaleRow], Table]:
    """Read the file as the import of ``kind`` does (CsvFormatError says what is wrong, naming
    the person's file rather than the temporary one it was read from)."""
    with tempfile.TemporaryDirectory(prefix="dozvon-upload-") as folder:
        path = Path(folder) / f"upload.{suffix}"
        path.write_bytes(data)
        try:
            return read_sales(path) if kind == "sales" else read_clients(path)
        except CsvFormatError as exc:
            raise CsvFormatError(str(exc).replace(str(path), filename)) from exc


async def start_import(
    request: web.Request,
    *,
    kind: str,
    filename: str,
    data: bytes,
    suffix: str,
    actor: str,
    dry_run: bool,
    update_names: bool,
) -> ImportRun:
    """Read the file (CsvFormatError when it cannot be) and start its import."""
    app = request.app
    rows, table = await asyncio.to_thread(_read, kind, data, filename, suffix)
    run = ImportRun(
        kind=kind,
        filename=filename,
        actor=actor,
        started=app[CLOCK].now(),
        dry_run=dry_run,
        table=table,
        total=len(rows),
    )

    async def clients(run: ImportRun) -> None:
        report = await import_clients(
            app[SESSIONS],
            [r for r in rows if isinstance(r, SourceRow)],
            app[NORMALIZER],
            actor=actor,
            dry_run=dry_run,
            update_names=update_names,
            progress=run.advance,
            clock=app[CLOCK],
            on_facts=app[HANDLERS].within,
        )
        run.counts = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        run.rejected, run.remarks = report.rejected, report.names_differ

    async def sales(run: ImportRun) -> None:
        report = await import_sales(
            app[SESSIONS],
            [r for r in rows if isinstance(r, SaleRow)],
            app[NORMALIZER],
            StatusRules.of(app[SETTINGS]),
            source=filename,
            actor=actor,
            dry_run=dry_run,
            progress=run.advance,
            clock=app[CLOCK],
        )
        run.counts = {
            "added": report.added,
            "already": report.already,
            "statuses": report.statuses_changed,
        }
        run.rejected = report.rejected

    async def work(run: ImportRun) -> None:
        await (sales if kind == "sales" else clients)(run)
        if not dry_run:
            await app[DIRECTORY].catch_up()

    return app[IMPORTS].start(run, work)
