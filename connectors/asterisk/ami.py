"""The AMI wire format: ``Key: Value`` lines, a message ends with an empty line.

No line of AMI comes near ``MAX_LINE``; one that passes it is not AMI (or not a PBX worth
trusting), and the connection is dropped rather than buffered without end. A reader opened with
``limit=MAX_LINE`` stops at that length by itself; the length is checked here as well so that the
guarantee does not depend on how the reader was opened.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

MAX_LINE = 64 * 1024


class ProtocolError(Exception):
    """What came off the socket is not AMI: the connection is to be dropped."""


async def read_line(reader: asyncio.StreamReader) -> bytes:
    """The next line with its ending; ``b""`` when the connection closed."""
    try:
        raw = await reader.readline()
    except ValueError as exc:  # how readline() reports a line past the reader's limit
        raise ProtocolError(f"a line longer than {MAX_LINE} bytes") from exc
    if len(raw.rstrip(b"\r\n")) > MAX_LINE:
        raise ProtocolError(f"a line longer than {MAX_LINE} bytes")
    return raw


async def read_message(reader: asyncio.StreamReader) -> dict[str, str] | None:
    """The next message (an event or a response); None when the connection closed."""
    message: dict[str, str] = {}
    while True:
        raw = await read_line(reader)
        if not raw:
            return None
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if not line:
            if message:
                return message
            continue
        key, sep, value = line.partition(":")
        if sep:
            message.setdefault(key.strip(), value.strip())


def format_action(action: Mapping[str, str]) -> bytes:
    lines = [f"{key}: {value}" for key, value in action.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()
