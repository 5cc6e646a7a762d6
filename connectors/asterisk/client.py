"""A small asyncio AMI client: log in, follow the event stream, reconnect with backoff.

Written for this job rather than taken from ``panoramisk``: the service needs a clean stop, a
capped exponential backoff and one log line per outage (not one per attempt), which are simpler
to own than to bend a general client into. Events become call updates at once
(``parse.CallTracker``) and are handed to ``submit`` by a worker of their own (the service's one
worker loop, retrying while the database is away), so a slow commit never stalls reading the
socket. Following the connection is a loop of its own: a connection is not a portion of work
that ends well, and its outage ends when a login succeeds, not when a step returns. Asterisk does
not replay what was missed while the connection was down; what it sends again is counted once
downstream.
A line longer than ``ami.MAX_LINE`` is a protocol error: the connection is dropped and made
again, like a lost one.
``send_action`` writes one action (click-to-call's ``Originate``) on the connection that is up
and waits for the response that carries its ``ActionID``; with no connection up it fails at once.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from connectors.asterisk.ami import MAX_LINE, ProtocolError, format_action, read_line, read_message
from connectors.asterisk.parse import CallTracker
from hub.domain.calls import CallUpdate
from hub.domain.originate import OriginateFailed
from hub.runtime.tasks import cancel_and_wait
from hub.runtime.worker import Worker

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = 10.0
SUBMIT_BATCH = 200
LISTING = "dozvon-channels"  # ActionID of the CoreShowChannels asked for after each login
ACTION_TIMEOUT = 5.0  # how long an action's response may take
EVENTS = "call,agent"  # the AMI event classes followed
# ... and "dialplan" where recordings are played: MixMonitor's file name comes as a VarSet event.
RECORDING_EVENTS = "call,agent,dialplan"


class LoginRefused(Exception):
    """Asterisk refused our username/secret."""


class AmiClient:
    def __init__(
        self,
        name: str,
        *,
        host: str,
        port: int,
        username: str,
        secret: str,
        tracker: CallTracker,
        submit: Callable[[list[CallUpdate]], Awaitable[object]],
        clock: Callable[[], datetime],
        reconnect_max: float = 30.0,
        events: str = EVENTS,
    ) -> None:
        self.name = name
        self._address = (host, port)
        self._credentials = (username, secret)
        self._tracker = tracker
        self._submit = submit
        self._clock = clock
        self._reconnect_max = reconnect_max
        self._events = events
        self._pending: collections.deque[list[CallUpdate]] = collections.deque()
        self._delivery = Worker(
            f"{name}: call updates",
            self._deliver,
            failing="not stored yet; retrying",
            max_backoff=5.0,
        )
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()
        self._writer: asyncio.StreamWriter | None = None
        self._answers: dict[str, asyncio.Future[dict[str, str]]] = {}
        self._actions = 0
        self.sessions = 0
        self.events = 0
        self._outage = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._follow(), name=f"ami-{self.name}")
        self._delivery.start(now=False)

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
        await self._delivery.stop()

    async def drained(self) -> None:
        """Wait until every update read so far was handed over (at shutdown)."""
        await self._delivery.settle()

    async def send_action(self, action: dict[str, str]) -> dict[str, str]:
        """Send ``action`` on the live connection; Asterisk's response to it. Raises
        OriginateFailed when no connection is up, or no response comes in time."""
        writer = self._writer
        if writer is None or not self.connected.is_set():
            raise OriginateFailed("the AMI connection is down")
        self._actions += 1
        action_id = f"dozvon-action-{self._actions}"
        answer = asyncio.get_running_loop().create_future()
        self._answers[action_id] = answer
        try:
            writer.write(format_action({**action, "ActionID": action_id}))
            await writer.drain()
            return await asyncio.wait_for(answer, ACTION_TIMEOUT)
        except TimeoutError as exc:
            raise OriginateFailed("Asterisk did not answer the action in time") from exc
        except (OSError, ConnectionError) as exc:
            raise OriginateFailed(f"the AMI connection failed ({exc})") from exc
        finally:
            self._answers.pop(action_id, None)

    def _answered(self, message: dict[str, str]) -> bool:
        """A response to one of ``send_action``'s actions: handed to its caller."""
        answer = self._answers.get(message.get("ActionID", ""))
        if answer is None:
            return False
        if not answer.done():
            answer.set_result(message)
        return True

    async def _follow(self) -> None:
        delay = 1.0
        while True:
            logged_in = self.sessions
            problem = await self._connect_once()
            if self.sessions != logged_in:
                delay = 1.0  # it worked for a while: start the backoff again
            if not self._outage:
                host, port = self._address
                log.warning("%s: AMI at %s:%d: %s; reconnecting", self.name, host, port, problem)
                self._outage = True
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._reconnect_max)

    async def _connect_once(self) -> str:
        """One connection, as long as it lasts; says why it ended."""
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(*self._address, limit=MAX_LINE), CONNECT_TIMEOUT
            )
        except (OSError, TimeoutError) as exc:
            return f"unreachable ({exc})"
        try:
            await self._session(reader, writer)
            return "connection closed"
        except LoginRefused as exc:
            return f"login refused: {exc}"
        except ProtocolError as exc:
            return f"protocol error ({exc})"
        except (OSError, asyncio.IncompleteReadError) as exc:
            return f"connection lost ({exc or type(exc).__name__})"
        finally:
            self.connected.clear()
            self._writer = None
            for answer in self._answers.values():
                if not answer.done():
                    answer.set_exception(OriginateFailed("the AMI connection was lost"))
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        banner = (await read_line(reader)).decode(errors="replace").strip()
        if not banner.startswith("Asterisk Call Manager"):
            raise OSError(f"not an AMI server (said {banner[:60]!r})")
        username, secret = self._credentials
        writer.write(
            format_action(
                {
                    "Action": "Login",
                    "ActionID": "dozvon-login",
                    "Username": username,
                    "Secret": secret,
                    "Events": self._events,
                }
            )
        )
        await writer.drain()
        while True:
            message = await read_message(reader)
            if message is None:
                raise OSError("closed during login")
            if message.get("ActionID") == "dozvon-login":
                if message.get("Response") != "Success":
                    raise LoginRefused(message.get("Message", "no reason given"))
                break
        self.sessions += 1
        self._writer = writer
        self.connected.set()
        # What happened while we were away: the channels up now (see the tracker).
        self._tracker.expect_listing()
        writer.write(format_action({"Action": "CoreShowChannels", "ActionID": LISTING}))
        await writer.drain()
        if self._outage:
            log.info("%s: AMI connected again (%s)", self.name, banner)
            self._outage = False
        else:
            log.info("%s: AMI connected (%s)", self.name, banner)
        while (message := await read_message(reader)) is not None:
            if "Event" not in message:
                if self._answered(message):
                    continue
                if message.get("ActionID") == LISTING and message.get("Response") == "Error":
                    log.warning(
                        "%s: AMI refused CoreShowChannels (%s): calls during an outage are not "
                        "caught up; allow it with 'write = system' for this AMI user",
                        self.name,
                        message.get("Message", "no reason given"),
                    )
                continue
            self.events += 1
            updates = self._tracker.feed(message, self._clock())
            updates = self._storable(updates)
            if updates:
                self._pending.append(updates)
                self._delivery.wake()

    def _storable(self, updates: list[CallUpdate]) -> list[CallUpdate]:
        """The updates storage can keep; the others are logged and left out (AMI is not told:
        there is no request to refuse)."""
        kept = []
        for update in updates:
            unstorable = update.unstorable()
            if unstorable is None:
                kept.append(update)
            else:
                log.warning("%s: an AMI event not stored: %s", self.name, unstorable[1])
        return kept

    async def _deliver(self) -> bool:
        """Hand over the oldest waiting updates (up to SUBMIT_BATCH together); they leave the
        queue only once stored. Whether more wait."""
        if not self._pending:
            return False
        taken, batch = 0, list[CallUpdate]()
        for group in self._pending:
            if batch and len(batch) + len(group) > SUBMIT_BATCH:
                break
            batch += group
            taken += 1
        await self._submit(batch)
        for _ in range(taken):
            self._pending.popleft()
        return bool(self._pending)
