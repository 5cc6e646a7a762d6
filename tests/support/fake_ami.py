"""A small fake AMI server: a banner, a login, then a script of recorded events.

``drop_after`` closes the first connection after that many events (mid-call); the next
connection resumes ``overlap`` events before that point, as a PBX that comes back and sends some
of the same events again. ``listings`` answers ``CoreShowChannels`` on the connection of that
number (1 for the first) with those channels; other connections leave the action unanswered.
An ``Originate`` is kept in ``originated`` and answered as Asterisk does ("queued", or the
``originate_refusal`` given); then the events ``on_originate`` makes of it are sent.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from connectors.asterisk.ami import format_action, read_message


@dataclass
class FakeAmi:
    script: list[Mapping[str, str]]
    secret: str
    drop_after: int | None = None
    overlap: int = 0
    logins: list[str] = field(default_factory=list)
    sent: int = 0
    server: asyncio.Server | None = None
    go: asyncio.Event = field(default_factory=asyncio.Event)  # events flow once this is set
    limit: int | None = None  # ...and stop after this many until release()
    more: asyncio.Event = field(default_factory=asyncio.Event)
    listings: dict[int, list[Mapping[str, str]]] = field(default_factory=dict)
    listing_refused: bool = False  # as Asterisk answers a user without the privilege
    actions: list[str] = field(default_factory=list)
    originated: list[dict[str, str]] = field(default_factory=list)
    on_originate: Callable[[dict[str, str]], list[Mapping[str, str]]] | None = None
    originate_refusal: str | None = None  # e.g. "Permission denied"

    def release(self, limit: int | None = None) -> None:
        self.limit = limit
        self.more.set()

    @property
    def port(self) -> int:
        assert self.server is not None
        port: int = self.server.sockets[0].getsockname()[1]
        return port

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            writer.write(b"Asterisk Call Manager/9.0.0\r\n")
            login = await read_message(reader)
            if login is None:
                return
            self.logins.append(login.get("Secret", ""))
            ok = login.get("Secret") == self.secret
            writer.write(
                format_action(
                    {
                        "Response": "Success" if ok else "Error",
                        "ActionID": login.get("ActionID", ""),
                        "Message": "Authentication accepted" if ok else "Authentication failed",
                    }
                )
            )
            if not ok:
                return
            answering = asyncio.create_task(self._answer(reader, writer, len(self.logins)))
            try:
                if await self._stream(writer):
                    await answering  # stay connected until the client leaves
            finally:
                answering.cancel()
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _answer(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, connection: int
    ) -> None:
        """Actions after the login, until the client leaves."""
        while (action := await read_message(reader)) is not None:
            self.actions.append(action.get("Action", ""))
            if action.get("Action") == "Originate":
                await self._originate(action, writer)
                continue
            if action.get("Action") == "CoreShowChannels" and self.listing_refused:
                refusal = {"Response": "Error", "Message": "Permission denied"}
                writer.write(format_action({**refusal, "ActionID": action.get("ActionID", "")}))
                continue
            listing = self.listings.get(connection)
            if action.get("Action") != "CoreShowChannels" or listing is None:
                continue
            tag = {"ActionID": action.get("ActionID", "")}
            writer.write(format_action({"Response": "Success", **tag, "EventList": "start"}))
            for channel in listing:
                writer.write(format_action({"Event": "CoreShowChannel", **tag, **channel}))
            done = {"Event": "CoreShowChannelsComplete", **tag, "EventList": "Complete"}
            writer.write(format_action({**done, "ListItems": str(len(listing))}))

    async def _originate(self, action: dict[str, str], writer: asyncio.StreamWriter) -> None:
        self.originated.append(action)
        tag = {"ActionID": action.get("ActionID", "")}
        if self.originate_refusal is not None:
            writer.write(
                format_action({"Response": "Error", **tag, "Message": self.originate_refusal})
            )
            return
        queued = {"Response": "Success", **tag, "Message": "Originate successfully queued"}
        writer.write(format_action(queued))
        for event in self.on_originate(action) if self.on_originate else []:
            writer.write(format_action(event))
        await writer.drain()

    async def _stream(self, writer: asyncio.StreamWriter) -> bool:
        """This connection's part of the script; False if it is to be dropped now."""
        await self.go.wait()
        drops = len(self.logins) == 1 and self.drop_after is not None
        start = 0 if len(self.logins) == 1 else max((self.drop_after or 0) - self.overlap, 0)
        end = self.drop_after if drops and self.drop_after is not None else len(self.script)
        for event in self.script[start:end]:
            while self.limit is not None and self.sent >= self.limit:
                self.more.clear()
                await self.more.wait()
            writer.write(format_action(event))
            self.sent += 1
            await writer.drain()
        return not drops
