"""The AMI wire format: ``Key: Value`` lines, a message ends with an empty line."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

MAX_LINE = 64 * 1024


async def read_message(reader: asyncio.StreamReader) -> dict[str, str] | None:
    """The next message (an event or a response); None when the connection closed."""
    message: dict[str, str] = {}
    while True:
        raw = await reader.readline()
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
