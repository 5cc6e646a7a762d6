"""A FastAGI server for routing: ``AGI(agi://host:4573/route)`` sets ``DOZVON_TARGET``.

Asterisk connects, sends ``agi_*`` lines and an empty line; we answer one ``SET VARIABLE`` and
read its ``200 result=...``. Anything that goes wrong (a silent or broken connection, a line
longer than ``ami.MAX_LINE``) leaves the variable empty, which the dialplan treats as "use your
default", and the server goes on serving the next call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from connectors.asterisk.ami import MAX_LINE

log = logging.getLogger(__name__)
READ_TIMEOUT = 2.0
VARIABLE = "DOZVON_TARGET"

Decide = Callable[[str, str, str | None], str]


async def _headers(reader: asyncio.StreamReader) -> dict[str, str]:
    found: dict[str, str] = {}
    while True:
        line = (await reader.readline()).decode(errors="replace").strip()
        if not line:
            return found
        key, sep, value = line.partition(":")
        if sep and key.startswith("agi_"):
            found[key] = value.strip()
        if len(found) > 100:
            return found


async def serve_agi(host: str, port: int, decide: Decide) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            headers = await asyncio.wait_for(_headers(reader), READ_TIMEOUT)
            caller = headers.get("agi_callerid", "")
            dialled = headers.get("agi_dnid") or headers.get("agi_extension", "")
            target = decide(
                caller, dialled, headers.get("agi_linkedid") or headers.get("agi_uniqueid")
            )
            writer.write(f'SET VARIABLE {VARIABLE} "{target}"\n'.encode())
            await writer.drain()
            await asyncio.wait_for(reader.readline(), READ_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:  # ValueError: a line over the limit
            log.warning("FastAGI request failed: %s", exc)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    return await asyncio.start_server(handle, host, port, limit=MAX_LINE)
