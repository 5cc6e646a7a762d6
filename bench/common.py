"""What every benchmark shares: free ports, wrk, the seeded directory, a service process."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from config.settings import DatabaseSettings
from connectors.generic import sign
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import Client, ClientPhone, Manager

HERE = Path(__file__).parent
TOKEN = "bench-admin-token"
# Clock ticks a second, the unit of /proc/<pid>/stat's processor times.
TICKS = os.sysconf("SC_CLK_TCK")
# A periodic job running, in the service's metrics.
RUNNING_JOB = re.compile(r'^dozvon_job_running\{job="[^"]*"\} 1\.0$', re.MULTILINE)
SECRET = "bench-hook-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (Debian package) for the load generator", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def phone(n: int) -> str:
    return f"+7916{n:07d}"


MANAGERS = 50


def manager_rows(count: int = MANAGERS) -> list[dict[str, object]]:
    """The seeded managers: ids 1..count, extensions 101.., every one active."""
    return [
        {
            "id": i,
            "name": f"Manager {i}",
            "role": "manager",
            "extension": str(100 + i),
            "active": True,
        }
        for i in range(1, count + 1)
    ]


def stop(process: subprocess.Popen[bytes], timeout: float) -> None:
    """Ask a process to stop; kill it when it has not within ``timeout`` seconds."""
    process.terminate()
    finish(process, timeout)


def finish(process: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait for a process asked to stop; kill it when it has not within ``timeout`` seconds."""
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def seed(url: str, clients: int) -> None:
    """Migrate, then add MANAGERS managers and ``clients`` clients with one phone each."""
    engine = create_engine(DatabaseSettings(url=url))
    try:
        await upgrade(engine)
        async with engine.begin() as conn:
            await conn.execute(insert(Manager), manager_rows())
            for start in range(0, clients, 10_000):
                ids = range(start + 1, min(start + 10_000, clients) + 1)
                await conn.execute(
                    insert(Client),
                    [
                        {
                            "id": i,
                            "name": f"Client {i}",
                            "manager_id": 1 + i % 50,
                            "status": "potential",
                            "notes": "",
                        }
                        for i in ids
                    ],
                )
                await conn.execute(
                    insert(ClientPhone), [{"client_id": i, "number": phone(i)} for i in ids]
                )
            await settle_sequences(conn)
    finally:
        await engine.dispose()


SEEDED_TABLES = ("managers", "clients", "client_phones")


async def settle_sequences(conn: AsyncConnection) -> None:
    """On PostgreSQL, move the id sequences of the seeded tables past the ids given explicitly,
    so that the service's own inserts (an import, a new card) get fresh ids."""
    if conn.dialect.name != "postgresql":
        return
    for table in SEEDED_TABLES:
        sequence = f"pg_get_serial_sequence('{table}', 'id')"
        query = f"SELECT setval({sequence}, max(id)) FROM {table}"  # noqa: S608 - constants
        await conn.execute(text(query))


async def count(url: str, query: str) -> int:
    """One number the database answers (``SELECT count(*) ...``)."""
    engine = create_engine(DatabaseSettings(url=url))
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(text(query))).scalar_one())
    finally:
        await engine.dispose()


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Wait until ``url`` answers 200, or fail when the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}: {process.args!r}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def wait_jobs(base: str, pid: int, timeout: float = 300) -> float:
    """Wait until no periodic job of the service runs (those it runs once at start to catch up:
    statuses, reports), as its metrics say — or, from a revision without that metric, until the
    process and its children are idle (under a tenth of a processor over half a second); the
    seconds it took. The rows measure the service as it runs, not its first minutes."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with urllib.request.urlopen(f"{base}/metrics", timeout=10) as response:  # noqa: S310 - loopback only
            text = response.read().decode()
        if "dozvon_job_running" not in text:
            return wait_idle(pid, timeout, started=started)
        if not RUNNING_JOB.search(text):
            return time.monotonic() - started
        time.sleep(0.2)
    raise SystemExit(f"the service's start-up jobs still run after {timeout:.0f} s")


def wait_idle(pid: int, timeout: float = 300, *, started: float | None = None) -> float:
    """Wait until the process and its children are idle (under a tenth of a processor over half
    a second): what the loads before left — updates waiting to be stored, stored ones to fold —
    is done. The seconds it took (from ``started``, by default now)."""
    started = time.monotonic() if started is None else started
    while time.monotonic() - started < timeout:
        before = cpu_seconds({pid})
        time.sleep(0.5)
        if cpu_seconds({pid}) - before < 0.05:
            return time.monotonic() - started
    raise SystemExit(f"the service is still busy {timeout:.0f} s after it started")


def cpu_seconds(roots: set[int]) -> float:
    """CPU time (user and system) of these processes and their children, in seconds."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        stats[int(entry.name)] = (int(fields[1]), ticks / TICKS)
    return sum(cpu for pid, (parent, cpu) in stats.items() if pid in roots or parent in roots)


def requests_file(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def wrk_command(
    wrk: str,
    base: str,
    requests: Path,
    seconds: float,
    *,
    connections: int,
    threads: int = 1,
) -> list[str]:
    return [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "-s",
        str(HERE / "wrk_requests.lua"),
        base,
        "--",
        str(requests),
        str(threads),
        f"Bearer {TOKEN}",
    ]


def wrk_env(*, cycle: bool, delay_ms: int = 0) -> dict[str, str]:
    """``delay_ms``: each connection pauses this long before each request (0: none)."""
    return {**os.environ, "WRK_CYCLE": "1" if cycle else "0", "WRK_DELAY_MS": str(delay_ms)}


def wrk_result(stdout: str) -> dict[str, Any]:
    line = [ln for ln in stdout.splitlines() if ln.startswith("{")][-1]
    result: dict[str, Any] = json.loads(line)
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def wrk(
    wrk_path: str,
    base: str,
    requests: Path,
    seconds: float,
    *,
    cycle: bool,
    connections: int = 32,
    threads: int = 1,
) -> dict[str, Any]:
    """Run wrk to the end; its figures (requests, rps, p50/p99 in µs, errors, non2xx)."""
    done = subprocess.run(
        wrk_command(wrk_path, base, requests, seconds, connections=connections, threads=threads),
        capture_output=True,
        text=True,
        env=wrk_env(cycle=cycle),
        check=True,
    )
    return wrk_result(done.stdout)


def ingest_lines(count: int, *, clients: int, prefix: str = "bench") -> list[str]:
    """Signed generic-hook requests, one update each: a client's call ringing, then ending
    unanswered (a missed call, which opens a case and queues alerts)."""
    stamp = int(time.time())
    lines = []
    for n in range(count):
        state = "ringing" if n % 2 == 0 else "ended"
        body = json.dumps(
            {
                "event_id": f"{prefix}-{n}",
                "call_id": f"{prefix}-call-{n // 2}",
                "direction": "inbound",
                "state": state,
                "from": phone(1 + (n // 2) % max(clients, 1)),
                "to": "+74950001122",
                "extension": "101",
            },
            separators=(",", ":"),
        )
        signature = sign(SECRET, body.encode(), stamp)
        lines.append(f"POST\t/api/v1/hooks/generic\tX-Dozvon-Signature: {signature}\t{body}")
    return lines


def route_lines(count: int, *, clients: int, seed_: int = 7) -> list[str]:
    import random

    rng = random.Random(seed_)
    return [
        f"GET\t/api/v1/route?from={phone(rng.randint(1, clients)).replace('+', '%2B')}"
        "&to=74950001122\t\t"
        for _ in range(count)
    ]


def service_env(url: str, port: int, **extra: str) -> dict[str, str]:
    """The environment a benchmarked ``dozvon serve`` runs with."""
    return {
        **os.environ,
        "DOZVON_DATABASE__URL": url,
        "DOZVON_HTTP__PORT": str(port),
        "DOZVON_ADMIN__TOKEN": TOKEN,
        "DOZVON_HOOKS__GENERIC_SECRET": SECRET,
        "DOZVON_LOG__LEVEL": "WARNING",
        **extra,
    }


def serve(env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    """``dozvon serve`` in its own process, its log (stderr) written to ``log``."""
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "hub.cli", "serve"], env=env, cwd=cwd, stderr=sink
        )
