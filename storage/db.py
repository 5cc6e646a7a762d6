"""Engine and session factory: SQLite tuned for a single service, PostgreSQL as it comes."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import weakref
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import Engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from config.settings import DatabaseSettings
from hub.domain.errors import Unavailable

SessionFactory = async_sessionmaker[AsyncSession]
# Execution option of a connection whose transaction only reads (see _tune_sqlite).
READ_ONLY = "dozvon_read_only"


# The SQL function, on SQLite, that folds the case of any letter (Python's str.casefold).
CASEFOLD = "dozvon_casefold"


def _casefold(text: object) -> object:
    return text.casefold() if isinstance(text, str) else text


def _tune_sqlite(engine: AsyncEngine, settings: DatabaseSettings) -> None:
    busy_ms = int(settings.sqlite_busy_timeout.total_seconds() * 1000)
    synchronous = settings.sqlite_synchronous

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the driver so that BEGIN IMMEDIATE below is the only
        # BEGIN: a write transaction then holds the write lock from its start and never fails
        # half-way with "database is locked" when another connection wrote first.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()
        # SQLite's lower() and LIKE fold ASCII letters only; searches by name use this instead
        # (storage/repositories/clients.py), so that «вектор» finds «ООО Вектор».
        dbapi_connection.create_function(CASEFOLD, 1, _casefold, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A transaction that only reads begins DEFERRED: in WAL mode it reads a snapshot and
        # neither waits for the writer nor holds it up.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _tune_postgresql(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        # The driver learns at once that the server closed an idle connection (a restart, a
        # terminated backend): the pool takes a fresh one instead. This replaces SQLAlchemy's
        # pre-ping, which is a transaction of its own (BEGIN, ";", ROLLBACK) before every unit of
        # work — half a millisecond each on a local server. A connection lost without a word
        # (a NAT forgetting it) is replaced once older than ``database.pool_recycle``.
        if dbapi_connection.driver_connection.is_closed():
            raise DisconnectionError("the server closed this connection")


async def reading(session: AsyncSession) -> None:
    """Begin ``session``'s transaction as one that only reads (it must not write)."""
    await session.connection(execution_options={READ_ONLY: True})


class WriteLockTimeout(Unavailable):
    """A write transaction waited longer than the busy timeout for its turn."""


# After an urgent write, a background writer waits this long for the next urgent one (the
# webhooks answered, their next updates arriving) so that urgent writes follow each other; but it
# never waits longer than BACKGROUND_WAIT in all, however many urgent ones come.
URGENT_GRACE = 0.005
BACKGROUND_WAIT = 0.2


class WriteGate:
    """This process's turns at SQLite's one write lock: in the order asked, urgent ones first.

    A turn is handed straight from the writer that ends it to the next one waiting (nobody can
    slip in between). Urgent turns are for writes someone waits on (a webhook's updates, stored
    before it is answered); they go before the background writers (the folder, the sender), so a
    webhook waits for at most the one transaction under way. While urgent writes keep coming
    (each within ``URGENT_GRACE`` of the last) they follow each other, and a background writer
    goes once it has waited ``BACKGROUND_WAIT``: the background work is put off under a burst,
    never starved.
    """

    def __init__(
        self,
        timeout: float,
        *,
        grace: float = URGENT_GRACE,
        background_wait: float = BACKGROUND_WAIT,
    ) -> None:
        self.timeout = timeout
        self._grace = grace
        self._background_wait = background_wait
        self._held = False
        self._held_urgent = False
        self._urgent: collections.deque[asyncio.Future[None]] = collections.deque()
        self._other: collections.deque[tuple[asyncio.Future[None], float]] = collections.deque()
        self._timer: asyncio.TimerHandle | None = None

    async def acquire(self, *, urgent: bool = False) -> None:
        free = not self._held and not self._urgent
        if free and (urgent or (not self._other and self._timer is None)):
            self._held, self._held_urgent = True, urgent
            return
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[None] = loop.create_future()
        if urgent:
            self._urgent.append(turn)
        else:
            self._other.append((turn, loop.time()))
        try:
            async with asyncio.timeout(self.timeout):
                await turn
        except BaseException as exc:
            if turn.done() and not turn.cancelled():
                self.release()  # handed over just as the wait ended: pass it on
            else:
                turn.cancel()
                self._leave(turn)
            if isinstance(exc, TimeoutError):
                message = f"database is locked: no turn to write within {self.timeout:g}s"
                raise WriteLockTimeout(message) from None
            raise

    def _leave(self, turn: asyncio.Future[None]) -> None:
        if turn in self._urgent:
            self._urgent.remove(turn)
        self._other = collections.deque(entry for entry in self._other if entry[0] is not turn)
        if not self._other and self._timer is not None:
            self._timer.cancel()  # nobody left to hand the turn to after the grace
            self._timer = None

    def release(self) -> None:
        was_urgent, self._held = self._held_urgent, False
        self._drop_given_up()
        if not self._other:
            self._next_urgent()
            return
        now = asyncio.get_running_loop().time()
        overdue = self._other[0][1] + self._background_wait - now
        if overdue <= 0:
            self._next_other()
        elif not self._next_urgent() and was_urgent:
            if self._timer is None:
                delay = min(self._grace, overdue)
                self._timer = asyncio.get_running_loop().call_later(delay, self._after_grace)
        elif not self._held:
            self._next_other()

    def _drop_given_up(self) -> None:
        while self._urgent and self._urgent[0].done():
            self._urgent.popleft()
        while self._other and self._other[0][0].done():
            self._other.popleft()

    def _next_urgent(self) -> bool:
        if not self._urgent:
            return False
        self._held, self._held_urgent = True, True
        self._urgent.popleft().set_result(None)
        return True

    def _next_other(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._other:
            self._held, self._held_urgent = True, False
            self._other.popleft()[0].set_result(None)

    def _after_grace(self) -> None:
        self._timer = None
        if not self._held:
            self._drop_given_up()
            self._next_other()


# One gate for SQLite's single write lock per engine (see write_turn).
_GATES: weakref.WeakKeyDictionary[Engine, WriteGate] = weakref.WeakKeyDictionary()


@contextlib.asynccontextmanager
async def write_turn(engine: AsyncEngine | None, *, urgent: bool = False) -> AsyncIterator[None]:
    """Hold this process's turn to write to a SQLite database for the block.

    SQLite lets one transaction write at a time, and a connection that finds the lock taken
    sleeps in growing steps (up to 100 ms) before it looks again, so under load the lock sits
    free while writers sleep. Writers of one process wait for each other here instead
    (:class:`WriteGate`), and are woken the moment the previous one is done; other processes
    still meet the busy timeout. Waiting longer than the busy timeout fails as SQLite would.
    PostgreSQL (no gate) passes straight through.
    """
    gate = _GATES.get(engine.sync_engine) if engine is not None else None
    if gate is None:
        yield
        return
    await gate.acquire(urgent=urgent)
    try:
        yield
    finally:
        gate.release()


class DatabaseUnreachable(Exception):
    """The configured database cannot be opened: the message says which (without its password),
    why, and what to do."""


def shown_url(url: str) -> str:
    """The database URL as it may be shown: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("://", 1)[0] + "://…"


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    """An async engine for the configured URL, with SQLite's pragmas set on every connection.

    The default SQLite file's directory (``./var``) is made on first use; a file configured
    elsewhere must be in a directory that exists (a typo must not start an empty database)."""
    if settings.is_sqlite:
        path = settings.sqlite_file
        if path is not None and settings.is_default:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif path is not None and not path.parent.is_dir():
            raise DatabaseUnreachable(
                f"the database's directory {path.parent} does not exist "
                f"(database.url = {settings.url}): create it, or correct the URL"
            )
        engine = create_async_engine(settings.url, echo=settings.echo)
        _tune_sqlite(engine, settings)
        _GATES[engine.sync_engine] = WriteGate(settings.sqlite_busy_timeout.total_seconds())
        return engine
    engine = create_async_engine(
        settings.url,
        echo=settings.echo,
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        pool_recycle=settings.pool_recycle.total_seconds(),
    )
    _tune_postgresql(engine)
    return engine


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions that keep their objects readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine) -> None:
    """Raise if the database cannot be reached."""
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def reach(engine: AsyncEngine) -> None:
    """Connect once, or raise :class:`DatabaseUnreachable` saying why in one line."""
    try:
        await ping(engine)
    except (OSError, DBAPIError) as exc:
        cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        raise DatabaseUnreachable(
            f"cannot reach the database {shown_url(engine.url.render_as_string(False))}: "
            f"{reason} — is it running, and are the URL and the password right?"
        ) from exc
