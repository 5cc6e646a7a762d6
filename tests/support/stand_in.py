"""A vendor's API served on a local port for a test: the lifecycle every stand-in shares.

A stand-in subclasses :class:`StandIn`, adds its routes in :meth:`routes` and checks requests
the way the vendor does; a fixture starts it before the app and closes it after.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TypeVar

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class StandIn:
    server: TestServer | None = field(default=None, init=False)

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    @property
    def url(self) -> str:
        """Where it listens, without a trailing slash."""
        assert self.server is not None, "the stand-in was not started"
        return str(self.server.make_url("")).rstrip("/")

    async def start(self) -> None:
        app = web.Application()
        self.routes(app)
        self.server = TestServer(app)
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()


Served = TypeVar("Served", bound=StandIn)


async def serving(stand_in: Served) -> AsyncIterator[Served]:
    """Start ``stand_in`` for a fixture to yield, and close it afterwards."""
    await stand_in.start()
    yield stand_in
    await stand_in.close()
