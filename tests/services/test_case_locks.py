"""Two people (or a person and a returning call) changing one case at the same moment: the
second waits for the first and sees what it did, on both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from hub.domain.errors import Conflict
from hub.services.cases import close_in
from storage.db import SessionFactory
from storage.models import CallbackCase
from storage.uow import UnitOfWork

NUMBER = "+79031112233"


NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


async def _open_case(factory: SessionFactory) -> int:
    moment = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    async with UnitOfWork(factory) as uow:
        case = CallbackCase(
            number=NUMBER,
            status="open",
            missed_count=1,
            first_missed_at=moment,
            last_missed_at=moment,
            escalate_at=moment,
        )
        uow.cases.add(case)
        await uow.commit()
        return case.id


async def _blocked(task: asyncio.Task[object]) -> bool:
    await asyncio.sleep(0.5)
    return not task.done()


async def test_a_second_close_at_the_same_moment_waits_and_is_refused(
    factory: SessionFactory,
) -> None:
    case_id = await _open_case(factory)

    async def second() -> object:
        async with UnitOfWork(factory) as uow:
            await uow.cases.get(case_id)  # already read before the first close commits
            fact = await close_in(uow, case_id, "also called", actor="boss", now=NOW)
            await uow.commit()
            return fact

    async with UnitOfWork(factory) as first:
        await close_in(first, case_id, "called back", actor="ivan", now=NOW)
        other = asyncio.create_task(second())
        assert await _blocked(other)  # held by the first transaction
        await first.commit()
    with pytest.raises(Conflict, match="already closed"):
        await asyncio.wait_for(other, 15)
    async with UnitOfWork(factory) as uow:
        case = await uow.cases.get(case_id)
        assert case is not None
        assert (case.status, case.closed_by, case.close_reason) == ("closed", "ivan", "called back")
        audit = await uow.audit.page(entity="callback_case", entity_id=str(case_id))
        assert [entry.actor for entry in audit] == ["ivan"]


async def test_a_case_closed_meanwhile_is_not_returned_again(factory: SessionFactory) -> None:
    case_id = await _open_case(factory)

    async def folder_view() -> dict[str, CallbackCase]:
        async with UnitOfWork(factory) as uow:
            return await uow.cases.active_for([NUMBER], lock=True)

    async with UnitOfWork(factory) as first:
        await close_in(first, case_id, "called back", actor="ivan", now=NOW)
        folding = asyncio.create_task(folder_view())
        assert await _blocked(folding)
        await first.commit()
    assert await asyncio.wait_for(folding, 15) == {}
