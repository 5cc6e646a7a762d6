"""aiogram's FSM storage in the shared database: a dialogue begun with one instance (a typed
client name for triage) is continued by whichever instance gets the next message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey

from hub.domain.clock import Clock
from storage.db import SessionFactory
from storage.uow import UnitOfWork


class DatabaseStorage(BaseStorage):
    def __init__(self, factory: SessionFactory, clock: Clock) -> None:
        self._factory = factory
        self._clock = clock
        self._keys = DefaultKeyBuilder(with_destiny=True)

    def _key(self, key: StorageKey) -> str:
        return self._keys.build(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        async with UnitOfWork(self._factory) as uow:
            await uow.bot_states.set_state(self._key(key), value, now=self._clock.now())
            await uow.commit()

    async def get_state(self, key: StorageKey) -> str | None:
        async with UnitOfWork(self._factory, read_only=True) as uow:
            row = await uow.bot_states.get(self._key(key))
            return row.state if row is not None else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with UnitOfWork(self._factory) as uow:
            await uow.bot_states.set_data(self._key(key), dict(data), now=self._clock.now())
            await uow.commit()

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with UnitOfWork(self._factory, read_only=True) as uow:
            row = await uow.bot_states.get(self._key(key))
            return dict(row.data) if row is not None else {}

    async def close(self) -> None:
        """Nothing to close: the database belongs to the app."""
