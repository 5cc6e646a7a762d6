"""A webhook answered 2xx is committed: SIGKILL the service mid-stream and count what survived."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from config.settings import DatabaseSettings
from connectors.generic import sign
from hub.app import create_app
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.pipeline import FOLDER
from storage.db import create_engine, create_session_factory
from storage.uow import UnitOfWork
from tests.support.clock import MachineClock
from tests.support.service import free_port, wait_until_ready
from tests.support.settings import make_settings

SECRET = "crash-secret"


def _call_of(event_id: str) -> str:
    """The call an event of _sender belongs to: w<worker>-<n> → call-<worker>-<n // 2>."""
    worker, n = event_id[1:].split("-")
    return f"call-{worker}-{int(n) // 2}"


async def _sender(base: str, worker: int, acknowledged: list[str], stop: asyncio.Event) -> None:
    async with aiohttp.ClientSession() as session:
        for n in range(100_000):
            if stop.is_set():
                return
            event_id = f"w{worker}-{n}"
            body = json.dumps(
                {
                    "event_id": event_id,
                    "call_id": f"call-{worker}-{n // 2}",
                    "direction": "inbound",
                    "state": "ringing" if n % 2 == 0 else "ended",
                    "from": f"+7916{worker:03d}{n % 10000:04d}",
                    "to": "+74950001122",
                }
            ).encode()
            headers = {
                "X-Dozvon-Signature": sign(SECRET, body, int(MachineClock().now().timestamp()))
            }
            try:
                async with session.post(
                    f"{base}/api/v1/hooks/generic", data=body, headers=headers
                ) as response:
                    if response.status == 200:
                        acknowledged.append(event_id)
            except (TimeoutError, aiohttp.ClientError, ConnectionError):
                return


@pytest.mark.slow
async def test_sigkill_loses_nothing_acknowledged(
    db_url: str, tmp_path: Path, aiohttp_client: object
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DOZVON_DATABASE__URL": db_url,
        "DOZVON_HTTP__PORT": str(port),
        "DOZVON_ADMIN__TOKEN": "crash-admin",
        "DOZVON_HOOKS__GENERIC_SECRET": SECRET,
        "DOZVON_LOG__LEVEL": "WARNING",
    }
    process = subprocess.Popen(  # noqa: ASYNC220 - started once; the kill is the point
        [sys.executable, "-m", "hub.cli", "serve"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    acknowledged: list[str] = []
    try:
        await wait_until_ready(base, process)
        stop = asyncio.Event()
        senders = [asyncio.create_task(_sender(base, w, acknowledged, stop)) for w in range(8)]
        deadline = time.monotonic() + 60
        while len(acknowledged) < 300:
            await asyncio.sleep(0.02)
            assert process.poll() is None
            assert time.monotonic() < deadline, f"only {len(acknowledged)} acknowledged"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        stop.set()
        await asyncio.wait_for(asyncio.gather(*senders), timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert len(acknowledged) >= 300
    engine = create_engine(DatabaseSettings(url=db_url))
    try:
        async with UnitOfWork(create_session_factory(engine)) as uow:
            stored = await uow.calls.event_ids("generic")
            events = await uow.calls.count_events()
    finally:
        await engine.dispose()
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged events were lost, e.g. {sorted(missing)[:5]}"
    assert events == len(stored)  # each event stored once

    # After a restart, whatever was stored but not yet folded into calls is folded.
    client = await aiohttp_client(create_app(make_settings(db_url)))  # type: ignore[operator]
    await asyncio.wait_for(client.app[FOLDER].settle(), timeout=60)
    async with UnitOfWork(client.app[SESSIONS]) as uow:
        calls = await uow.calls.calls_by_key(("generic", _call_of(e)) for e in acknowledged)
    assert len(calls) == len({_call_of(e) for e in acknowledged})
