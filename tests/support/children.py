"""Targets for :class:`hub.runtime.child.Child` in the tests: module-level, so that a spawned
interpreter can import them."""

from __future__ import annotations

import asyncio
import os
from multiprocessing.connection import Connection

from hub.runtime.child import signal_through, until_parent_gone


def echo(reply: bytes, end: Connection) -> None:
    """Answer every b"p" with ``reply`` and every b"n" with its niceness (a byte); end when the
    service closes ``end`` or sends SIGTERM."""

    def niceness() -> None:
        signal_through(end.fileno(), bytes([os.nice(0)]))

    async def main() -> None:
        signals = {b"p": lambda: signal_through(end.fileno(), reply), b"n": niceness}
        await until_parent_gone(end, signals)

    asyncio.run(main())


def running(pid: int) -> bool:
    """Whether the process ``pid`` runs (one that ended but nobody has reaped yet does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
