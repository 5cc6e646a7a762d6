"""The handler map: handlers by the fact's type, within the transaction or after it, isolated."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from hub.domain.facts import CallTalked, Fact, UpdatesStored
from hub.services.facts import FactHandlers
from storage.uow import UnitOfWork

AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


async def test_handlers_get_the_facts_of_their_type_and_a_failing_one_spoils_none(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[tuple[str, list[Any]]] = []
    uow = cast(UnitOfWork, object())

    async def within_talks(given: UnitOfWork, facts: Sequence[Any]) -> None:
        assert given is uow
        seen.append(("within", list(facts)))

    def broken(facts: Sequence[Any]) -> None:
        raise RuntimeError("listener bug")

    def after_talks(facts: Sequence[Any]) -> None:
        seen.append(("after", list(facts)))

    handlers = FactHandlers(
        within_map={CallTalked: [within_talks]},
        after_map={CallTalked: [broken, after_talks]},
    )
    talks = [CallTalked("+79031112233", 1, AT), CallTalked("+79035550000", 2, AT)]
    facts: list[Fact] = [talks[0], UpdatesStored(3), talks[1]]
    await handlers.within(uow, facts)
    with caplog.at_level(logging.ERROR, logger="hub.services.facts"):
        handlers.committed(facts)
    assert seen == [("within", talks), ("after", talks)]
    assert any("listener bug" in (r.exc_text or "") for r in caplog.records)


async def test_a_failing_handler_within_the_transaction_fails_it() -> None:
    async def refuses(uow: UnitOfWork, facts: Sequence[Any]) -> None:
        raise RuntimeError("outbox full")

    handlers = FactHandlers(within_map={UpdatesStored: [refuses]})
    with pytest.raises(RuntimeError, match="outbox full"):
        await handlers.within(cast(UnitOfWork, object()), [UpdatesStored(1)])
