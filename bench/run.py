"""Measure routing and durable ingestion against a bare aiohttp handler, in one run.

    make bench                      # or: .venv/bin/python -m bench.run --seconds 10

Starts a bare aiohttp app (the baseline) and the real service (`dozvon serve`, SQLite, 100k
clients), drives each with wrk from the same machine, and prints requests/s and p50/p99 latency,
each as a ratio to the baseline measured in the same run: the routing API, ingestion, and the
routing answer in each vendor's format (Zadarma's JSON to NOTIFY_START, Twilio's TwiML, the
plain text Asterisk's CURL() reads).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from bench import vendor_requests
from bench.databases import bench_database
from config.settings import DatabaseSettings
from connectors.generic import sign
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import Client, ClientPhone, Manager

HERE = Path(__file__).parent
TOKEN = "bench-admin-token"
SECRET = "bench-hook-secret"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (Debian package) for the load generator", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def _phone(n: int) -> str:
    return f"+7916{n:07d}"


async def _seed(url: str, clients: int) -> None:
    engine = create_engine(DatabaseSettings(url=url))
    try:
        await upgrade(engine)
        async with engine.begin() as conn:
            await conn.execute(
                insert(Manager),
                [
                    {
                        "id": i,
                        "name": f"Manager {i}",
                        "role": "manager",
                        "extension": str(100 + i),
                        "active": True,
                    }
                    for i in range(1, 51)
                ],
            )
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
                    insert(ClientPhone), [{"client_id": i, "number": _phone(i)} for i in ids]
                )
    finally:
        await engine.dispose()


async def _count_events(url: str) -> int:
    engine = create_engine(DatabaseSettings(url=url))
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(text("SELECT count(*) FROM call_events"))).scalar_one())
    finally:
        await engine.dispose()


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"server exited: {process.stderr.read().decode() if process.stderr else ''}"
            )
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def _requests_file(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def _wrk(
    wrk: str, base: str, requests: Path, seconds: int, *, cycle: bool, connections: int = 32
) -> dict[str, Any]:
    threads = min(2, connections)
    env = {**os.environ, "WRK_CYCLE": "1" if cycle else "0"}
    done = subprocess.run(
        [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(HERE / "wrk_requests.lua"),
            base,
            "--",
            str(requests),
            str(threads),
            f"Bearer {TOKEN}",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("{")][-1]
    result: dict[str, Any] = json.loads(line)
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def _ingest_lines(count: int) -> list[str]:
    stamp = int(time.time())
    lines = []
    for n in range(count):
        state = "ringing" if n % 2 == 0 else "ended"
        body = json.dumps(
            {
                "event_id": f"bench-{n}",
                "call_id": f"bench-call-{n // 2}",
                "direction": "inbound",
                "state": state,
                "from": _phone(1 + (n // 2) % 200_000),
                "to": "+74950001122",
                "extension": "101",
            },
            separators=(",", ":"),
        )
        signature = sign(SECRET, body.encode(), stamp)
        lines.append(f"POST\t/api/v1/hooks/generic\tX-Dozvon-Signature: {signature}\t{body}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    wrk = _ensure_wrk()
    with bench_database(args.database) as (url, work):
        _bench(args, wrk, work, url)


def _bench(args: argparse.Namespace, wrk: str, work: Path, url: str) -> None:
    print(f"seeding {args.clients} clients ...", file=sys.stderr)
    asyncio.run(_seed(url, args.clients))
    rng = random.Random(7)
    route_file = _requests_file(
        work / "route.txt",
        [
            f"GET\t/api/v1/route?from={_phone(rng.randint(1, args.clients)).replace('+', '%2B')}"
            "&to=74950001122\t\t"
            for _ in range(20_000)
        ],
    )
    bare_get = _requests_file(work / "bare_get.txt", ["GET\t/bare\t\t"])
    ingest_file = _requests_file(work / "ingest.txt", _ingest_lines(args.seconds * 6000))
    results: dict[str, dict[str, Any]] = {}

    port = _port()
    bare = subprocess.Popen(
        [sys.executable, "-m", "bench.bare", "--port", str(port)], stderr=subprocess.PIPE
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/bare", bare)
        results["baseline"] = _wrk(wrk, base, bare_get, args.seconds, cycle=True)
        results["baseline c2"] = _wrk(wrk, base, bare_get, args.seconds, cycle=True, connections=2)
    finally:
        bare.terminate()
        bare.wait()

    port = _port()
    env = {
        **os.environ,
        "DOZVON_DATABASE__URL": url,
        "DOZVON_HTTP__PORT": str(port),
        "DOZVON_ADMIN__TOKEN": TOKEN,
        "DOZVON_HOOKS__GENERIC_SECRET": SECRET,
        "DOZVON_LOG__LEVEL": "WARNING",
        **vendor_requests.CONNECTORS,
        "DOZVON_CONNECTORS__TW__PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    vendors = {
        "zadarma": vendor_requests.zadarma(20_000, _phone, args.clients),
        "twilio": vendor_requests.twilio(20_000, _phone, args.clients, f"http://127.0.0.1:{port}"),
        "asterisk": vendor_requests.asterisk(20_000, _phone, args.clients),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "serve"], env=env, cwd=work, stderr=subprocess.PIPE
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/readyz", server)
        results["route"] = _wrk(wrk, base, route_file, args.seconds, cycle=True)
        results["route c2"] = _wrk(wrk, base, route_file, args.seconds, cycle=True, connections=2)
        results["ingest"] = _wrk(wrk, base, ingest_file, args.seconds, cycle=False)
        for name, lines in vendors.items():
            file = _requests_file(work / f"{name}.txt", lines)
            results[name] = _wrk(wrk, base, file, args.seconds, cycle=True)
            results[f"{name} c2"] = _wrk(wrk, base, file, args.seconds, cycle=True, connections=2)
    finally:
        server.terminate()
        server.wait()
    stored = asyncio.run(_count_events(url))
    acknowledged = results["ingest"]["requests"] - results["ingest"]["non2xx"]
    print(f"\n{args.database}, {args.clients} clients, wrk -t2 -c32 (c2: -c2) -d{args.seconds}s")
    print(f"{'':12} {'req/s':>9} {'ratio':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in results.items():
        baseline = results["baseline c2" if name.endswith("c2") else "baseline"]["rps"]
        print(
            f"{name:12} {r['rps']:9.0f} {r['rps'] / baseline:6.2f}x "
            f"{r['p50_us'] / 1000:8.2f} {r['p99_us'] / 1000:8.2f} {r['errors'] + r['non2xx']:7d}"
        )
    print(
        f"\ningestion: {acknowledged} acknowledged, {stored} stored in the database "
        f"({'all committed' if stored >= acknowledged else 'LOST EVENTS'})"
    )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / f"latest-{args.database}.json").write_text(
        json.dumps(
            {
                "database": args.database,
                "clients": args.clients,
                "seconds": args.seconds,
                "results": results,
                "ingest_acknowledged": acknowledged,
                "ingest_stored": stored,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
