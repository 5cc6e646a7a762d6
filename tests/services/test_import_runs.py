"""An import run of the console, once ended, keeps of its file only the rows it rejected."""

from __future__ import annotations

from datetime import UTC, datetime

from hub.services.import_runs import ImportRun, ImportRuns
from hub.services.spreadsheets import Table


async def test_an_ended_run_keeps_only_its_rejected_rows() -> None:
    rows = [(line, [f"Клиент {line}", "+7903111000" + str(line)]) for line in range(2, 7)]
    table = Table(
        header=["name", "phone"],
        columns={"name": [0], "phone": [1]},
        rows=rows,
        encoding="utf-8",
        delimiter=",",
    )
    run = ImportRun(
        kind="clients",
        filename="clients.csv",
        actor="Админ",
        started=datetime(2026, 11, 25, tzinfo=UTC),
        dry_run=True,
        table=table,
        total=len(rows),
    )

    async def work(it: ImportRun) -> None:
        assert len(it.table.rows) == 5  # the whole file while it runs
        it.rejected = [(3, "bad phone"), (5, "no name")]
        it.advance(5)

    runs = ImportRuns()
    runs.start(run, work)
    ended = await runs.wait(run.id)
    assert ended.state == "finished"
    assert [line for line, _ in ended.table.rows] == [3, 5]
    assert [(line, reason) for line, reason, _ in ended.rejected_rows("ru")] == [
        (3, "bad phone"),
        (5, "no name"),
    ]
    assert b"bad phone" in ended.rejected_csv("ru")
    await runs.close()
