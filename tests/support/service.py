"""A real ``dozvon serve`` process, for the tests that must see the service as it is deployed.

It runs in a directory of its own on a free loopback port with only the ``DOZVON_*`` variables
it is given, is ready when ``/readyz`` says so (polled; a process that exits meanwhile fails at
once), and is always stopped.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

# How long a start-up (migrations included) may take on a loaded machine.
READY_WITHIN = 60.0


def free_ports(count: int) -> list[int]:
    """``count`` different loopback ports free now (held together while chosen)."""
    with ExitStack() as held:
        socks = [held.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]


def free_port() -> int:
    return free_ports(1)[0]


def _text(log: Path | None) -> str:
    """What the service wrote, to show when a test fails."""
    return log.read_text(errors="replace") if log is not None and log.exists() else ""


async def wait_until_ready(
    base: str, process: subprocess.Popen[bytes], log: Path | None = None
) -> None:
    """Poll ``/readyz`` until it answers 200; fail at once if the process exits meanwhile."""
    deadline = time.monotonic() + READY_WITHIN
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"dozvon serve exited during start-up:\n{_text(log)}")
            try:
                async with session.get(f"{base}/readyz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"dozvon serve was not ready in {READY_WITHIN} s:\n{_text(log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (a clean shutdown), then SIGKILL if the process does not end."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@asynccontextmanager
async def serving(directory: Path, settings: Mapping[str, str]) -> AsyncIterator[str]:
    """``dozvon serve`` in ``directory`` with ``settings`` (``DOZVON_*`` variables) on a free
    port; yields its base URL once ready."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DOZVON_")}
    env |= {"DOZVON_HTTP__HOST": "127.0.0.1", "DOZVON_HTTP__PORT": str(port), **settings}
    log = directory / "dozvon.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: ASYNC220 - started once, waited for by polling
            [sys.executable, "-m", "hub.cli", "serve"],
            env=env,
            cwd=directory,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_until_ready(base, process, log)
        yield base
    finally:
        stop(process)
        # Captured by pytest, shown only when the test fails.
        sys.stderr.write(f"--- dozvon serve ---\n{_text(log)}")


async def served_api(
    session: aiohttp.ClientSession,
    base: str,
    token: str,
    method: str,
    path: str,
    body: Any = None,
) -> Any:
    """A call to the API of a ``dozvon serve`` process at ``base``; its JSON (2xx asserted)."""
    headers = {"Authorization": f"Bearer {token}"}
    async with session.request(method, base + path, json=body, headers=headers) as response:
        assert response.status < 300, (response.status, await response.text())
        return await response.json()
