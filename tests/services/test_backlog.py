"""Updates answered for but not stored yet: retried until stored, bounded, one last try at stop."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub.domain.calls import CallState, CallUpdate, Direction, EndReason
from hub.domain.phone import Normalizer
from hub.services.ingest.backlog import Backlog
from tests.support.telegram_stub import until

NORMALIZE = Normalizer("RU", 5)


def _update(call_id: str) -> CallUpdate:
    return CallUpdate(
        connector="tw",
        call_id=call_id,
        event_id=None,
        direction=Direction.INBOUND,
        state=CallState.RINGING,
        caller=NORMALIZE("+79031112233"),
        callee=NORMALIZE("+74950001122"),
        at=datetime(2026, 11, 23, 12, tzinfo=UTC),
    )


class Storage:
    """Refuses while ``down``; remembers what it took."""

    def __init__(self) -> None:
        self.down = True
        self.taken: list[str] = []
        self.updates: list[CallUpdate] = []
        self.poisoned: set[str] = set()
        self.attempts = 0

    async def submit(self, updates: list[CallUpdate]) -> None:
        self.attempts += 1
        if self.down or any(u.call_id in self.poisoned for u in updates):
            raise RuntimeError("the updates could not be stored")
        self.taken += [u.call_id for u in updates]
        self.updates += updates


async def test_retried_until_stored_once_in_order() -> None:
    storage = Storage()
    sizes: list[int] = []
    backlog = Backlog(storage.submit, interval=0.02, on_size=sizes.append)
    backlog.start()
    try:
        backlog.keep("tw", [_update("a"), _update("b")])
        backlog.keep("tw", [_update("c")])
        await until(lambda: storage.attempts >= 4)  # two rounds of failed attempts
        assert storage.taken == [] and len(backlog) == 3
        storage.down = False
        await until(lambda: len(backlog) == 0)
    finally:
        await backlog.stop()  # a last attempt, with nothing left to offer
    assert storage.taken == ["a", "b", "c"]  # once each, in the order they came
    assert sizes[-1] == 0 and max(sizes) == 3


async def test_one_group_that_never_stores_holds_up_no_other() -> None:
    storage = Storage()
    storage.down = False
    storage.poisoned = {"bad"}
    backlog = Backlog(storage.submit, interval=0.02)
    backlog.start()
    try:
        backlog.keep("tw", [_update("bad")])
        backlog.keep("tw", [_update("good")])
        await until(lambda: storage.taken == ["good"])
        assert len(backlog) == 1
    finally:
        await backlog.stop()


async def test_bounded_and_a_last_attempt_at_stop(caplog: pytest.LogCaptureFixture) -> None:
    storage = Storage()
    backlog = Backlog(storage.submit, limit=2, interval=10)
    backlog.start()
    backlog.keep("tw", [_update("a")])
    backlog.keep("tw", [_update("b"), _update("c")])  # would exceed the limit: dropped, logged
    backlog.keep("tw", [_update("d")])
    assert len(backlog) == 2
    assert sum("dropping newer ones" in r.getMessage() for r in caplog.records) == 1
    storage.down = False
    await backlog.stop()  # long before the next retry: stop itself stores them
    assert storage.taken == ["a", "d"] and len(backlog) == 0


async def test_a_restart_during_an_outage_loses_nothing(tmp_path: Path) -> None:
    spool = tmp_path / "not" / "yet" / "dozvon.backlog.jsonl"  # made when needed
    storage = Storage()
    first = Backlog(storage.submit, interval=10, spool=spool)
    first.start()
    withheld = CallUpdate(
        connector="ast",
        call_id="w",
        direction=Direction.INBOUND,
        state=CallState.ENDED,
        caller=NORMALIZE("anonymous"),
        callee=NORMALIZE("101"),
        extension="101",
        leg="1.2",
        reason=EndReason.NO_ANSWER,
    )
    first.keep("tw", [_update("a"), withheld])
    first.keep("tw", [_update("b")])
    await first.stop()  # the database is still away: they stay in the file
    assert storage.taken == [] and spool.exists()

    storage.down = False
    second = Backlog(storage.submit, interval=0.02, spool=spool)
    second.start()
    try:
        await until(lambda: len(second) == 0)
        assert storage.taken == ["a", "w", "b"]
        assert storage.updates[1] == withheld  # read back exactly as it was kept
        assert not spool.exists()  # nothing waits: no file
    finally:
        await second.stop()


async def test_a_damaged_line_is_skipped_and_the_rest_is_kept(tmp_path: Path) -> None:
    spool = tmp_path / "b.jsonl"
    storage = Storage()
    first = Backlog(storage.submit, interval=10, spool=spool)
    first.keep("tw", [_update("a")])
    spool.write_text(spool.read_text() + '{"not": "a list of updates"}\n[{"connector": 1')
    first.keep("tw", [_update("b")])
    storage.down = False
    second = Backlog(storage.submit, interval=0.02, spool=spool)
    second.start()
    try:
        await until(lambda: storage.taken == ["a", "b"])
    finally:
        await second.stop()
