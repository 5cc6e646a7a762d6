"""Imports started from the console: each runs as a background task, and the page that started it
reads its progress, its summary and its rejected rows.

A run is the file already read (its rows and table) and the import of :mod:`hub.services.importer`
or :mod:`hub.services.sales_import` going through them a chunk per transaction: what a chunk
wrote is committed whatever happens later, so a run that fails midway keeps the chunks before.
The record of a run (progress, summary, rejected rows) lives in the memory of the instance that
runs it, the last :data:`KEPT` of them: behind a load balancer the page that follows an import
must reach that instance (sticky sessions), and after a restart its report is gone — the cards
and sales it wrote are not, and the audit log names who imported them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from hub.services.import_reasons import say
from hub.services.import_report import write_report
from hub.services.reports.files import csv_safe
from hub.services.spreadsheets import Table
from notifications.catalogue import Language

log = logging.getLogger(__name__)

KEPT = 20


@dataclass(slots=True, kw_only=True)
class ImportRun:
    """One import: what it reads, how far it is, and in the end what it did."""

    kind: str  # "clients" or "sales"
    filename: str
    actor: str
    started: datetime
    dry_run: bool
    table: Table
    total: int
    id: str = field(default_factory=lambda: secrets.token_hex(8))
    done: int = 0
    state: str = "running"  # then "finished" or "failed"
    # What the summary shows, by its text key: created, updated, unchanged... and rejected.
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    # Rows imported with a remark (a card matched by phone that the file names otherwise).
    remarks: list[tuple[int, str]] = field(default_factory=list)
    error: str = ""
    ended: asyncio.Event = field(default_factory=asyncio.Event)

    def advance(self, rows: int) -> None:
        """``rows`` more rows were gone through."""
        self.done = min(self.total, self.done + rows)

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total

    def forget_the_rest(self) -> None:
        """Once the run has ended, keep of the file only the rows it rejected (what its page
        and its rejected-rows file show), not the whole table."""
        wanted = {line for line, _ in self.rejected}
        self.table = replace(
            self.table, rows=[(line, cells) for line, cells in self.table.rows if line in wanted]
        )

    def rejected_rows(
        self, language: Language, *, limit: int | None = None
    ) -> list[tuple[int, str, list[str]]]:
        """The first ``limit`` rejected rows (all for None) as (line, reason in ``language``, the
        file's own cells)."""
        cells = dict(self.table.rows)
        return [
            (line, say(reason, language), cells.get(line, []))
            for line, reason in self.rejected[:limit]
        ]

    def remarks_in(self, language: Language, *, limit: int | None = None) -> list[tuple[int, str]]:
        """The first ``limit`` remarks (all for None), each as (line, remark in ``language``)."""
        return [(line, say(remark, language)) for line, remark in self.remarks[:limit]]

    def rejected_csv(self, language: Language) -> bytes:
        """The rejected rows as the file had them, with their line and reason (import_report);
        a cell a spreadsheet would read as a formula begins with an apostrophe (csv_safe)."""
        wanted = {line for line, _ in self.rejected}
        table = replace(
            self.table,
            header=[csv_safe(title) for title in self.table.header],
            rows=[
                (line, [csv_safe(cell) for cell in cells])
                for line, cells in self.table.rows
                if line in wanted
            ],
        )
        rejected = [(line, csv_safe(say(reason, language))) for line, reason in self.rejected]
        with tempfile.TemporaryDirectory(prefix="dozvon-import-") as folder:
            path = Path(folder) / "rejected.csv"
            write_report(path, table, rejected)
            return path.read_bytes()


Work = Callable[[ImportRun], Awaitable[None]]


class ImportRuns:
    """The imports of this instance: started as tasks, kept for their pages, cancelled and
    awaited when the service stops."""

    def __init__(self) -> None:
        self._runs: dict[str, ImportRun] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, run: ImportRun, work: Work) -> ImportRun:
        """Run ``work`` on ``run`` in the background; the oldest runs beyond KEPT are forgotten."""
        self._runs[run.id] = run
        for old in list(self._runs.values())[:-KEPT]:
            if old.ended.is_set():
                del self._runs[old.id]
        task = asyncio.create_task(self._run(run, work), name=f"import {run.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return run

    async def _run(self, run: ImportRun, work: Work) -> None:
        try:
            await work(run)
            run.state = "finished"
        except asyncio.CancelledError:
            run.state, run.error = "failed", "stopped with the service"
            raise
        except Exception as exc:
            log.exception("import %s of %s failed", run.id, run.filename)
            run.state, run.error = "failed", str(exc)[:500] or type(exc).__name__
        finally:
            run.forget_the_rest()
            run.ended.set()

    def get(self, run_id: str) -> ImportRun | None:
        return self._runs.get(run_id)

    def recent(self) -> list[ImportRun]:
        """The runs kept, the newest first."""
        return list(reversed(self._runs.values()))

    async def wait(self, run_id: str) -> ImportRun:
        """The run once it has ended."""
        run = self._runs[run_id]
        await run.ended.wait()
        return run

    async def close(self) -> None:
        """Stop the runs still going (each chunk already committed stays)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
