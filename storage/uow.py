"""The unit of work: one session, its repositories, and an explicit commit at the edge."""

from __future__ import annotations

import contextlib
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import SessionFactory, reading, write_turn
from storage.repositories.audit import AuditRepository
from storage.repositories.bot_states import BotStateRepository
from storage.repositories.bot_updates import BotUpdateRepository
from storage.repositories.calendar import CalendarRepository
from storage.repositories.calls import CallRepository
from storage.repositories.cases import CaseRepository
from storage.repositories.client_statuses import ClientStatusRepository
from storage.repositories.clients import ClientRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.invites import InviteRepository
from storage.repositories.lists import ListRepository
from storage.repositories.logins import LoginRepository
from storage.repositories.managers import ManagerRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.reports import ReportRepository
from storage.repositories.sales import SaleRepository
from storage.repositories.secrets import SecretRepository
from storage.repositories.tokens import TokenRepository
from storage.repositories.unknown import UnknownNumberRepository


class UnitOfWork:
    """``async with UnitOfWork(factory) as uow: ...; await uow.commit()``; else rolled back.

    ``read_only=True`` for work that only reads: on SQLite it then does not take the one write
    lock (ingestion needs it); committing it is a programming error and raises. Any other unit
    of work on SQLite first waits for this process's turn to write (``storage.db.write_turn``);
    ``urgent=True`` for a write someone is waiting on, which goes before the background ones.
    """

    session: AsyncSession
    managers: ManagerRepository
    clients: ClientRepository
    lists: ListRepository
    calls: CallRepository
    unknown: UnknownNumberRepository
    audit: AuditRepository
    tokens: TokenRepository
    cases: CaseRepository
    outbox: OutboxRepository
    invites: InviteRepository
    bot_updates: BotUpdateRepository
    reports: ReportRepository
    sales: SaleRepository
    client_statuses: ClientStatusRepository
    secrets: SecretRepository
    calendar: CalendarRepository
    logins: LoginRepository
    conversations: ConversationRepository

    def __init__(
        self, factory: SessionFactory, *, read_only: bool = False, urgent: bool = False
    ) -> None:
        self._factory = factory
        self._read_only = read_only
        self._urgent = urgent

    async def __aenter__(self) -> UnitOfWork:
        self._turn = contextlib.AsyncExitStack()
        if not self._read_only:
            bind = self._factory.kw.get("bind")
            await self._turn.enter_async_context(
                write_turn(bind if isinstance(bind, AsyncEngine) else None, urgent=self._urgent)
            )
        self.session = self._factory()
        if self._read_only:
            await reading(self.session)
        self.managers = ManagerRepository(self.session)
        self.clients = ClientRepository(self.session)
        self.lists = ListRepository(self.session)
        self.calls = CallRepository(self.session)
        self.unknown = UnknownNumberRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.tokens = TokenRepository(self.session)
        self.cases = CaseRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.invites = InviteRepository(self.session)
        self.bot_updates = BotUpdateRepository(self.session)
        self.bot_states = BotStateRepository(self.session)
        self.reports = ReportRepository(self.session)
        self.sales = SaleRepository(self.session)
        self.client_statuses = ClientStatusRepository(self.session)
        self.secrets = SecretRepository(self.session)
        self.calendar = CalendarRepository(self.session)
        self.logins = LoginRepository(self.session)
        self.conversations = ConversationRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches the objects without
        # expiring them, so views built from them after the block still read their values.
        try:
            await self.session.close()
        finally:
            await self._turn.aclose()

    async def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("a unit of work opened to read cannot commit")
        await self.session.commit()

    async def flush(self) -> None:
        await self.session.flush()
