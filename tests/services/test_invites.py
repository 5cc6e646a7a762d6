"""Invites on both databases: once, until they expire, moving a chat between records."""

from __future__ import annotations

from datetime import timedelta

import pytest

from config.settings import DatabaseSettings
from hub.domain.errors import InvalidInput, NotFound
from hub.domain.people import Redeemed
from hub.services.directory.invites import find_manager, issue_invite, redeem_invite
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.models import Manager
from storage.types import utcnow
from storage.uow import UnitOfWork


@pytest.fixture
async def factory(db_url: str) -> object:
    engine = create_engine(DatabaseSettings(url=db_url))
    yield create_session_factory(engine)
    await engine.dispose()


async def _manager(factory: SessionFactory, name: str, **values: object) -> int:
    async with UnitOfWork(factory) as uow:
        manager = Manager(name=name, role="manager", **values)
        uow.managers.add(manager)
        await uow.commit()
        return manager.id


async def test_an_invite_works_once_and_only_in_time(factory: SessionFactory) -> None:
    ivan = await _manager(factory, "Иван", chat_unreachable=True, telegram_chat_id=1)
    now = utcnow()
    async with UnitOfWork(factory) as uow:
        code, invite = await issue_invite(uow, ivan, actor="t", ttl=timedelta(hours=1), now=now)
        late, _ = await issue_invite(uow, ivan, actor="t", ttl=timedelta(hours=1), now=now)
        await uow.commit()
    assert len(code) == 32 and code not in invite.code_hash
    async with UnitOfWork(factory) as uow:
        found = await redeem_invite(uow, code, 500, now=now)
        await uow.commit()
    assert found.outcome is Redeemed.BOUND
    async with UnitOfWork(factory) as uow:
        bound = await uow.managers.get(ivan)
        assert bound is not None
        assert (bound.telegram_chat_id, bound.chat_unreachable) == (500, False)
        # The same person again is welcome; anybody else is not; nothing changes.
        assert (await redeem_invite(uow, code, 500, now=now)).outcome is Redeemed.BOUND
        assert (await redeem_invite(uow, code, 600, now=now)).outcome is Redeemed.USED
        assert (await redeem_invite(uow, "nonsense", 600, now=now)).outcome is Redeemed.UNKNOWN
        expired = await redeem_invite(uow, late, 600, now=now + timedelta(hours=2))
        assert expired.outcome is Redeemed.EXPIRED
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        bound = await uow.managers.get(ivan)
        assert bound is not None and bound.telegram_chat_id == 500
        entries = await uow.audit.page(entity="manager", entity_id=str(ivan), limit=10)
        assert [e.action for e in entries] == ["bind_telegram"]


async def test_a_chat_moves_to_the_invited_record(factory: SessionFactory) -> None:
    old = await _manager(factory, "Старая запись", telegram_chat_id=700)
    new = await _manager(factory, "Новая запись", extension="105")
    async with UnitOfWork(factory) as uow:
        code, _ = await issue_invite(uow, new, actor="t", ttl=timedelta(hours=1), now=utcnow())
        assert (await redeem_invite(uow, code, 700, now=utcnow())).outcome is Redeemed.BOUND
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        first, second = await uow.managers.get(old), await uow.managers.get(new)
        assert first is not None and second is not None
        assert (first.telegram_chat_id, second.telegram_chat_id) == (None, 700)


async def test_finding_a_manager_by_what_an_admin_types(factory: SessionFactory) -> None:
    ivan = await _manager(factory, "Иван Петров", extension="101")
    await _manager(factory, "Анна")
    await _manager(factory, "анна")
    inactive = await _manager(factory, "Уволен", active=False)
    async with UnitOfWork(factory) as uow:
        assert (await find_manager(uow, "101")).id == ivan
        assert (await find_manager(uow, str(ivan))).id == ivan
        assert (await find_manager(uow, "иван петров")).id == ivan
        with pytest.raises(InvalidInput, match="2 managers are called"):
            await find_manager(uow, "Анна")
        with pytest.raises(NotFound):
            await find_manager(uow, "Никто")
        with pytest.raises(InvalidInput, match="inactive"):
            await issue_invite(uow, inactive, actor="t", ttl=timedelta(hours=1), now=utcnow())
