"""A stand-in HTTP proxy on this machine: ``CONNECT`` tunnels, recorded.

What a client configured with ``telegram.proxy = "http://..."`` does (aiogram through
aiohttp-socks, as for Telegram's HTTPS API): it asks the proxy to ``CONNECT host:port``, gets
``200 Connection established`` and speaks to the server through the tunnel. The stand-in records
each tunnel's target and the local address of its own connection to the server, so a test can
tell that every request the server received came through the proxy. Anything but ``CONNECT`` is
refused (``405``) and recorded as refused.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Tunnel:
    host: str
    port: int
    # The (host, port) the proxy's own connection to the target came from.
    source: tuple[str, int]


@dataclass
class HttpProxyStub:
    tunnels: list[Tunnel] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _pipes: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    def sources(self) -> set[tuple[str, int]]:
        return {t.source for t in self.tunnels}

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._pipes):
            task.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            writer.close()
            return
        method, target, *_ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
        if method != "CONNECT":
            self.refused.append(f"{method} {target}")
            writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        host, _, port = target.rpartition(":")
        try:
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            writer.close()
            return
        source = up_writer.get_extra_info("sockname")[:2]
        self.tunnels.append(Tunnel(host, int(port), (source[0], source[1])))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        for one, other in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(_pipe(one, other))
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()
