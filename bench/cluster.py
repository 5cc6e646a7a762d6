"""One instance against three behind nginx on one PostgreSQL: throughput, and what happens once.

    .venv/bin/python -m bench.cluster [--seconds 10] [--clients 100000] [--single-through-nginx]

Starts a throwaway PostgreSQL with the seeded directory, then:

1. one ``dozvon serve``: routing (wrk -c32) and ingestion (wrk -c16, every update sent once)
   straight to it;
2. three ``dozvon serve`` on the same database behind nginx (bench/balancer.py): the same two
   loads through nginx, the ingestion with event ids and callers of its own.

(``--single-through-nginx``: the one instance through nginx as well, what the hop costs.) Each
routing run follows an uncounted one of up to 2 s. Beside wrk's figures, each run's cost per
request: the instances' CPU time, PostgreSQL's, and the database's transactions.

Every instance runs with the staff bot in webhook mode against a stand-in Bot API (in this
process), escalation after 1 s (the sweep every second, so every missed call is escalated while
the load runs) and the outbox paced for the stand-in, not for Telegram. One manager in fifty and
his supervisor have Telegram chats; the others' messages go to the log.

After each step the instances are left to finish (fold, escalate, send), then the database is
checked: every acknowledged update stored once; every missed call counted in one case; each
case's alerts and escalation queued once per recipient; what reached the stand-in Bot API is
exactly what the outbox marked sent; the same Telegram update posted to each of the three at
once handled once. A failed check makes the exit status 1. The instances' logs are kept in
bench/results/cluster/; the warnings and errors in them are counted at the end.

``cluster_rows`` is what ``bench/run.py`` calls; ``table`` formats its result.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import insert, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.balancer import balancer
from bench.common import (
    cpu_seconds,
    ensure_wrk,
    finish,
    free_port,
    ingest_lines,
    requests_file,
    route_lines,
    seed,
    serve,
    service_env,
    wait_ready,
)
from bench.common import wrk as run_wrk
from bench.databases import bench_database
from config.settings import DatabaseSettings
from storage.db import create_engine
from storage.models import Manager
from tests.support.telegram_stub import BotApiStub

HERE = Path(__file__).parent
LOGS = HERE / "results" / "cluster"
BOT_TOKEN = "123456:BENCH-TOKEN"
WEBHOOK_SECRET = "bench-webhook-secret"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Manager 1 (whose clients are one in fifty) and his supervisor have chats; nobody else does.
MANAGER_CHAT = 2001
SUPERVISOR_ID, SUPERVISOR_CHAT = 52, 2052
DIRECTOR_ID = 51
STRANGER = 777  # who writes to the staff bot in the webhook check
ROUTE_CONNECTIONS = 32
INGEST_CONNECTIONS = 16
# Updates per second of load prepared for ingestion: more than it takes, so none is sent twice.
INGEST_PER_SECOND = 8000
SETTLE_WITHIN = 180.0
ROWS = ("1 instance route", "3 instances route", "1 instance ingest", "3 instances ingest")
EXTRA = ("1 instance via nginx route", "1 instance via nginx ingest")


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


# --- the stand-in Bot API, in a thread of its own -------------------------------------------


@contextmanager
def bot_api() -> Iterator[tuple[BotApiStub, str]]:
    """tests/support/telegram_stub.py served on a loopback port; yields it and its base URL."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="bot-api", daemon=True)
    thread.start()
    port = free_port()

    async def start() -> tuple[BotApiStub, web.AppRunner]:
        stub = BotApiStub()
        runner = web.AppRunner(stub.app(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return stub, runner

    stub, runner = asyncio.run_coroutine_threadsafe(start(), loop).result(10)
    try:
        yield stub, f"http://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


# --- the instances ---------------------------------------------------------------------------


def instance_env(url: str, port: int, bot_base: str, backlog: Path) -> dict[str, str]:
    """One instance's settings: loopback, its own backlog file, the bot in webhook mode."""
    return service_env(
        url,
        port,
        DOZVON_HTTP__HOST="127.0.0.1",
        DOZVON_INGEST__BACKLOG_FILE=str(backlog),
        DOZVON_TELEGRAM__TOKEN=BOT_TOKEN,
        DOZVON_TELEGRAM__API_BASE=bot_base,
        DOZVON_TELEGRAM__MODE="webhook",
        DOZVON_TELEGRAM__WEBHOOK_URL="https://dozvon.example.com/telegram/webhook",
        DOZVON_TELEGRAM__WEBHOOK_SECRET=WEBHOOK_SECRET,
        DOZVON_ESCALATION__AFTER="1s",
        DOZVON_ESCALATION__SWEEP_INTERVAL="1s",
        DOZVON_OUTBOX__GLOBAL_RATE="1000",
        DOZVON_OUTBOX__PER_CHAT_INTERVAL="1ms",
    )


def _ports(count: int) -> list[int]:
    found: list[int] = []
    while len(found) < count:
        port = free_port()
        if port not in found:
            found.append(port)
    return found


@dataclass(frozen=True, slots=True)
class Instance:
    port: int
    pid: int


@contextmanager
def instances(url: str, work: Path, count: int, bot_base: str) -> Iterator[list[Instance]]:
    """``count`` instances of ``dozvon serve`` on ``url``, ready. Their logs are kept in
    bench/results/cluster/."""
    ports = _ports(count)
    LOGS.mkdir(parents=True, exist_ok=True)
    logs = [LOGS / f"serve-{count}-{n}.log" for n in range(1, count + 1)]
    for log in logs:
        log.unlink(missing_ok=True)
    processes = []
    try:
        for n, (port, log) in enumerate(zip(ports, logs, strict=True), start=1):
            backlog = work / f"backlog-{count}-{n}.jsonl"
            processes.append(serve(instance_env(url, port, bot_base, backlog), work, log))
        for port, process in zip(ports, processes, strict=True):
            wait_ready(f"http://127.0.0.1:{port}/readyz", process)
        yield [Instance(port, p.pid) for port, p in zip(ports, processes, strict=True)]
    except BaseException:
        for log in logs:
            if log.exists():
                tail = log.read_text(errors="replace").splitlines()[-20:]
                print(f"--- {log.name} ---", *tail, sep="\n", file=sys.stderr)
        raise
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            finish(process, 30)


# --- the database ----------------------------------------------------------------------------


async def _staff(url: str) -> None:
    """Besides the seeded managers: a director, and manager 1 with a supervisor, both in
    Telegram (escalations go to the supervisor and the director)."""
    engine = create_engine(DatabaseSettings(url=url))
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(Manager),
                [
                    {"id": DIRECTOR_ID, "name": "Director", "role": "director", "active": True},
                    {
                        "id": SUPERVISOR_ID,
                        "name": "Supervisor",
                        "role": "supervisor",
                        "active": True,
                    },
                ],
            )
            await conn.execute(
                update(Manager)
                .where(Manager.id == SUPERVISOR_ID)
                .values(telegram_chat_id=SUPERVISOR_CHAT)
            )
            await conn.execute(
                update(Manager)
                .where(Manager.id == 1)
                .values(telegram_chat_id=MANAGER_CHAT, supervisor_id=SUPERVISOR_ID)
            )
    finally:
        await engine.dispose()


async def _scalar(conn: AsyncConnection, query: str, **params: Any) -> int:
    return int((await conn.execute(text(query), params)).scalar_one())


UNSETTLED = {
    "updates not folded": "SELECT count(*) FROM call_events WHERE NOT folded",
    "calls waiting to settle": "SELECT count(*) FROM calls WHERE settle_at IS NOT NULL",
    "cases not escalated": "SELECT count(*) FROM callback_cases WHERE status = 'open'",
    "messages pending": "SELECT count(*) FROM outbox WHERE status = 'pending'",
}


async def settle(url: str, within: float = SETTLE_WITHIN) -> dict[str, int]:
    """Wait until the instances have folded, escalated and sent everything; what is left."""
    engine = create_engine(DatabaseSettings(url=url))
    deadline = time.monotonic() + within
    try:
        while True:
            async with engine.connect() as conn:
                left = {name: await _scalar(conn, query) for name, query in UNSETTLED.items()}
            if not any(left.values()) or time.monotonic() > deadline:
                return left
            await asyncio.sleep(0.5)
    finally:
        await engine.dispose()


# --- the loads -------------------------------------------------------------------------------


def _ingest(
    wrk_path: str, base: str, work: Path, seconds: float, clients: int, prefix: str, first: int
) -> dict[str, Any]:
    """Ingestion, each update sent once; ``first`` lines are skipped so that the callers are
    not those of an earlier run (a missed call of theirs would join a case, not open one)."""
    count = int(seconds * INGEST_PER_SECOND)
    lines = ingest_lines(first + count, clients=clients, prefix=prefix)[first:]
    file = requests_file(work / f"ingest-{prefix}.txt", lines)
    result = run_wrk(wrk_path, base, file, seconds, cycle=False, connections=INGEST_CONNECTIONS)
    result |= {"prefix": prefix, "lines": len(lines), "connections": INGEST_CONNECTIONS}
    return result


def _route(wrk_path: str, base: str, file: Path, seconds: float) -> dict[str, Any]:
    result = run_wrk(wrk_path, base, file, seconds, cycle=True, connections=ROUTE_CONNECTIONS)
    return result | {"connections": ROUTE_CONNECTIONS}


def _postmaster(url: str) -> int | None:
    """The PostgreSQL server listening on the URL's port."""
    port = url.rsplit(":", 1)[1].split("/", 1)[0]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        listening = b"-p" in args[:-1] and args[args.index(b"-p") + 1] == port.encode()
        if args[0].endswith(b"/postgres") and listening:
            return int(entry.name)
    return None


async def _transactions(url: str) -> tuple[int, int]:
    """The database's transactions so far: committed, rolled back."""
    engine = create_engine(DatabaseSettings(url=url))
    try:
        async with engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT xact_commit, xact_rollback FROM pg_stat_database "
                        "WHERE datname = current_database()"
                    )
                )
            ).one()
            return int(row[0]), int(row[1])
    finally:
        await engine.dispose()


@contextmanager
def _costs(url: str, pids: list[int]) -> Iterator[dict[str, float]]:
    """What the block cost: the instances' and PostgreSQL's CPU seconds, and the database's
    transactions (its statistics lag by up to a second: read after a pause)."""
    server = _postmaster(url)
    servers = {server} if server is not None else set()
    costs: dict[str, float] = {}
    before = (cpu_seconds(set(pids)), cpu_seconds(servers), asyncio.run(_transactions(url)))
    yield costs
    time.sleep(1.1)
    after = (cpu_seconds(set(pids)), cpu_seconds(servers), asyncio.run(_transactions(url)))
    costs |= {
        "cpu_instances_s": after[0] - before[0],
        "cpu_postgresql_s": after[1] - before[1],
        "transactions": after[2][0] - before[2][0] + after[2][1] - before[2][1],
        "rolled_back": after[2][1] - before[2][1],
    }


async def post_everywhere(ports: list[int], update: dict[str, Any]) -> list[int]:
    """The same Telegram update posted to every instance at once; their statuses."""
    headers = {SECRET_HEADER: WEBHOOK_SECRET}
    async with aiohttp.ClientSession() as session:

        async def post(port: int) -> int:
            url = f"http://127.0.0.1:{port}/telegram/webhook"
            async with session.post(url, json=update, headers=headers) as response:
                return response.status

        return list(await asyncio.gather(*(post(port) for port in ports)))


_STARTED = time.monotonic()


def _say(what: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {what}", file=sys.stderr)


def cluster_rows(
    wrk: str, seconds: float, clients: int, *, single_through_nginx: bool = False
) -> dict[str, dict[str, Any]]:
    """The four rows (wrk's figures: rps, p50_us, p99_us, errors, non2xx, ...) by name, and
    ``"integrity"``: ``{"ok": bool, "checks": [{"name", "ok", "detail"}, ...], "left": ...}``.
    ``single_through_nginx`` adds the one instance measured through nginx as well (what the
    proxy's hop costs), as ``"1 instance via nginx route"`` and ``"... ingest"``."""
    seconds = max(1, round(seconds))  # wrk takes whole seconds
    rows: dict[str, dict[str, Any]] = {}
    left: dict[str, dict[str, int]] = {}
    used = 0  # updates prepared for earlier runs: their callers are not called again

    def measure(name: str, base: str, prefix: str, pids: list[int]) -> None:
        nonlocal used
        _answers(f"{base}/readyz")
        # Not counted: every instance looks each number up once (what it caches) first.
        run_wrk(wrk, base, route_file, min(seconds, 2), cycle=True, connections=ROUTE_CONNECTIONS)
        with _costs(url, pids) as route_costs:
            rows[f"{name} route"] = _route(wrk, base, route_file, seconds)
        with _costs(url, pids) as ingest_costs:
            run = _ingest(wrk, base, work, seconds, clients, prefix, used)
        rows[f"{name} route"] |= route_costs
        rows[f"{name} ingest"] = run | ingest_costs
        used += min(run["requests"] + run["connections"], run["lines"])
        used += used % 2  # a call is two updates
        _say(f"{name}: settling ...")
        left[name] = asyncio.run(settle(url))

    with bench_database("postgresql") as (url, work), bot_api() as (stub, bot_base):
        _say(f"seeding {clients} clients ...")
        asyncio.run(seed(url, clients))
        asyncio.run(_staff(url))
        route_file = requests_file(work / "route.txt", route_lines(20_000, clients=clients))

        _say("one instance ...")
        with instances(url, work, 1, bot_base) as one:
            pids = [i.pid for i in one]
            measure("1 instance", f"http://127.0.0.1:{one[0].port}", "c1", pids)
            if single_through_nginx:
                with balancer(work / "nginx-1", [one[0].port]) as front:
                    measure("1 instance via nginx", f"http://127.0.0.1:{front}", "n1", pids)

        _say("three instances behind nginx ...")
        with (
            instances(url, work, 3, bot_base) as three,
            balancer(work / "nginx-3", [i.port for i in three]) as front,
        ):
            pids = [i.pid for i in three]
            measure("3 instances", f"http://127.0.0.1:{front}", "c3", pids)
            hello = stub.as_update(STRANGER, "/help")
            statuses = asyncio.run(post_everywhere([i.port for i in three], hello))
            # What the instances do after answering (none should answer again) has a moment.
            time.sleep(1)

        checks = asyncio.run(integrity(url, rows, stub))
        checks.append(_webhook_check(stub, hello, statuses))
        checks += [_settled_check(step, counts) for step, counts in left.items()]
    return {
        **rows,
        "integrity": {
            "ok": all(c.ok for c in checks),
            "checks": [asdict(c) for c in checks],
            "left": left,
        },
        "logs": log_notes(),
    }


def log_notes() -> dict[str, dict[str, Any]]:
    """Per instance log: how many warnings and errors, and the distinct ones (the start of each,
    with the constraint when it is a unique violation)."""
    notes: dict[str, dict[str, Any]] = {}
    for log in sorted(LOGS.glob("serve-*.log")):
        found: Counter[str] = Counter()
        for line in log.read_text(errors="replace").splitlines():
            level = next((w for w in (" WARNING ", " ERROR ") if w in line[:40]), None)
            if level is None:
                continue
            what = line.split(level, 1)[1].split(": (", 1)[0][:100]
            constraint = re.search(r'unique constraint "([^"]+)"', line)
            found[f"{level.strip()} {what}" + (f" [{constraint[1]}]" if constraint else "")] += 1
        notes[log.name] = {"lines": sum(found.values()), "distinct": dict(found)}
    return notes


def _answers(url: str) -> None:
    """``url`` answers 200 (the instances through nginx)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            if response.status == 200:
                return
    except OSError as exc:
        raise SystemExit(f"{url}: {exc}") from exc
    raise SystemExit(f"{url}: {response.status}")


# --- the checks ------------------------------------------------------------------------------


def _settled_check(step: str, counts: dict[str, int]) -> Check:
    left = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    return Check(
        f"settled after {step}",
        not left,
        left or f"everything folded, escalated and sent within {SETTLE_WITHIN:.0f} s",
    )


async def integrity(url: str, rows: dict[str, dict[str, Any]], stub: BotApiStub) -> list[Check]:
    engine = create_engine(DatabaseSettings(url=url))
    try:
        async with engine.connect() as conn:
            checks = [
                await _ingest_check(conn, name, run)
                for name, run in rows.items()
                if name.endswith(" ingest")
            ]
            checks.append(await _cases_check(conn))
            checks += await _alert_checks(conn)
            checks.append(await _telegram_check(conn, stub))
            return checks
    finally:
        await engine.dispose()


async def _ingest_check(conn: AsyncConnection, name: str, run: dict[str, Any]) -> Check:
    """Every acknowledged update stored, none twice. wrk counts answers; requests still in
    flight when it stops (at most one per connection) may be stored unanswered."""
    prefix = f"{run['prefix']}-%"
    stored = await _scalar(
        conn, "SELECT count(*) FROM call_events WHERE event_id LIKE :p", p=prefix
    )
    distinct = await _scalar(
        conn, "SELECT count(DISTINCT event_id) FROM call_events WHERE event_id LIKE :p", p=prefix
    )
    acknowledged = run["requests"] - run["non2xx"]
    expected = min(acknowledged, run["lines"])
    unanswered = run["connections"] + run["errors"] + run["non2xx"]
    ok = stored == distinct and expected <= stored <= min(expected + unanswered, run["lines"])
    detail = (
        f"{acknowledged} acknowledged, {stored} stored "
        f"({stored - expected} sent but unanswered when wrk stopped), "
        f"{stored - distinct} event ids stored twice"
    )
    if acknowledged > run["lines"]:
        detail += f"; wrk ran out of its {run['lines']} updates and repeated the last"
    return Check(f"ingestion, {name.split(' ingest')[0]}", ok, detail)


async def _cases_check(conn: AsyncConnection) -> Check:
    """Every missed call counted in one case, each case's count its calls."""
    missed = await _scalar(
        conn,
        "SELECT count(*) FROM calls WHERE direction = 'inbound' "
        "AND outcome IN ('missed', 'busy', 'abandoned')",
    )
    uncounted = await _scalar(
        conn,
        "SELECT count(*) FROM calls WHERE direction = 'inbound' "
        "AND outcome IN ('missed', 'busy', 'abandoned') AND case_id IS NULL",
    )
    cases = await _scalar(conn, "SELECT count(*) FROM callback_cases WHERE kind = 'call'")
    miscounted = await _scalar(
        conn,
        "SELECT count(*) FROM callback_cases c WHERE c.kind = 'call' "
        "AND c.missed_count <> (SELECT count(*) FROM calls WHERE case_id = c.id)",
    )
    doubled = await _scalar(
        conn,
        "SELECT count(*) FROM (SELECT number FROM callback_cases "
        "WHERE status IN ('open', 'escalated') GROUP BY number HAVING count(*) > 1) AS d",
    )
    ok = missed > 0 and uncounted == 0 and miscounted == 0 and doubled == 0
    return Check(
        "cases",
        ok,
        f"{missed} missed calls in {cases} cases; {uncounted} in none, {miscounted} cases "
        f"whose count is not their calls', {doubled} numbers with two active cases",
    )


def _parse(key: str) -> tuple[int, str, int]:
    """``case:ID:STEP:PERSON`` (notifications/alerts.py) as (case, step, person)."""
    parts = key.split(":")
    return int(parts[1]), ":".join(parts[2:-1]), int(parts[-1])


async def _alert_checks(conn: AsyncConnection) -> list[Check]:
    """Alerts and escalations queued once per case and recipient."""
    cases = {
        row.id: (row.status, row.missed_count)
        for row in await conn.execute(
            text("SELECT id, status, missed_count FROM callback_cases WHERE kind = 'call'")
        )
    }
    keys = [
        (_parse(row.dedup_key), row.manager_id)
        for row in await conn.execute(
            text("SELECT dedup_key, manager_id FROM outbox WHERE dedup_key LIKE 'case:%'")
        )
    ]
    twice = sum(n - 1 for n in Counter(key for key, _ in keys).values() if n > 1)
    wrong_person = sum(1 for (_, _, person), manager in keys if person != manager)
    opened: dict[int, set[int]] = defaultdict(set)
    repeats: dict[int, set[int]] = defaultdict(set)
    escalated: dict[int, set[int]] = defaultdict(set)
    for (case, step, person), _ in keys:
        if step == "opened":
            opened[case].add(person)
        elif step.startswith("missed:"):
            repeats[case].add(int(step.split(":")[1]))
        elif step == "escalated":
            escalated[case].add(person)
    unopened = sum(1 for case in cases if not opened.get(case))
    bad_repeats = sum(
        1
        for case, (_, count) in cases.items()
        if repeats.get(case, set()) != set(range(2, count + 1))
    )
    alerts = Check(
        "alerts",
        unopened == 0 and bad_repeats == 0 and twice == 0 and wrong_person == 0,
        f"{sum(len(p) for p in opened.values())} alerts of {len(cases)} opened cases, "
        f"{sum(len(r) for r in repeats.values())} repeat-miss edits; {unopened} cases without "
        f"an alert, {bad_repeats} whose edits are not one per later miss, "
        f"{twice} rows for a case, step and recipient already queued",
    )
    should = {case for case, (status, _) in cases.items() if status == "escalated"}
    missing = len(should - escalated.keys())
    stray = len(escalated.keys() - should)
    escalations = Check(
        "escalations",
        missing == 0 and stray == 0 and twice == 0 and bool(should),
        f"{len(should)} cases escalated, {sum(len(p) for p in escalated.values())} messages "
        f"to supervisors and the director; {missing} escalated without one, "
        f"{stray} with one but not escalated",
    )
    return [alerts, escalations]


# The Bot API methods an outbox row is delivered by: a message, its edit, a digest's chart, a
# report's file.
DELIVERIES = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")


async def _telegram_check(conn: AsyncConnection, stub: BotApiStub) -> Check:
    """What reached the Bot API in the sample chats is what the outbox marked sent, once."""
    chats = (MANAGER_CHAT, SUPERVISOR_CHAT)
    sent = Counter(
        int(row.chat_id)
        for row in await conn.execute(
            text(
                "SELECT chat_id FROM outbox WHERE channel = 'telegram' AND status = 'sent' "
                "AND chat_id IN (:a, :b)"
            ),
            {"a": chats[0], "b": chats[1]},
        )
    )
    received = Counter(
        int(r.params["chat_id"])
        for r in list(stub.requests)
        if r.method in DELIVERIES and int(r.params.get("chat_id", 0) or 0) in chats
    )
    ok = sent == received and sum(sent.values()) > 0
    per_chat = "; ".join(f"chat {c}: {sent[c]} sent, {received[c]} received" for c in chats)
    return Check("Telegram deliveries", ok, per_chat)


def _webhook_check(stub: BotApiStub, update: dict[str, Any], statuses: list[int]) -> Check:
    answers = [
        r
        for r in list(stub.requests)
        if r.method == "sendMessage" and int(r.params.get("chat_id", 0) or 0) == STRANGER
    ]
    ok = statuses == [200] * len(statuses) and len(answers) == 1
    return Check(
        "webhook claims",
        ok,
        f"update {update['update_id']} posted to {len(statuses)} instances at once: "
        f"statuses {statuses}, answered {len(answers)} time(s)",
    )


# --- output ----------------------------------------------------------------------------------


def table(result: dict[str, dict[str, Any]]) -> list[str]:
    """The rows, each one's req/s as a multiple of one instance's (straight to it), then the
    checks."""
    lines = [f"{'':27} {'req/s':>9} {'vs 1':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"]
    for name in (*ROWS, *(e for e in EXTRA if e in result)):
        r = result[name]
        load = name.rsplit(" ", 1)[1]
        ratio = r["rps"] / result[f"1 instance {load}"]["rps"]
        lines.append(
            f"{name:27} {r['rps']:9.0f} {ratio:6.2f}x {r['p50_us'] / 1000:8.2f} "
            f"{r['p99_us'] / 1000:8.2f} {r['errors'] + r['non2xx']:7d}"
        )
    lines += [
        "",
        f"{'per request':27} {'CPU ms of the instances':>24} {'of PostgreSQL':>14} "
        f"{'transactions':>13} {'rolled back':>12}",
    ]
    for name in (*ROWS, *(e for e in EXTRA if e in result)):
        r = result[name]
        if "transactions" not in r or not r["requests"]:
            continue
        n = r["requests"]
        lines.append(
            f"{name:27} {r['cpu_instances_s'] * 1000 / n:24.2f} "
            f"{r['cpu_postgresql_s'] * 1000 / n:14.2f} {r['transactions'] / n:13.2f} "
            f"{r['rolled_back'] / n:12.3f}"
        )
    lines.append("")
    for check in result["integrity"]["checks"]:
        lines.append(f"{'ok  ' if check['ok'] else 'FAIL'} {check['name']}: {check['detail']}")
    lines.append("")
    for name, note in result.get("logs", {}).items():
        lines.append(f"{LOGS.relative_to(HERE.parent)}/{name}: {note['lines']} warnings and errors")
        lines += [f"    {n} x {what}" for what, n in note["distinct"].items()]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument(
        "--single-through-nginx",
        action="store_true",
        help="also measure the one instance through nginx (what the proxy's hop costs)",
    )
    args = parser.parse_args()
    result = cluster_rows(
        ensure_wrk(), args.seconds, args.clients, single_through_nginx=args.single_through_nginx
    )
    print(
        f"\npostgresql, {args.clients} clients, wrk -t1, route -c{ROUTE_CONNECTIONS}, "
        f"ingest -c{INGEST_CONNECTIONS} (each update once), {args.seconds:g} s each; "
        "3 instances behind nginx"
    )
    print("\n".join(table(result)))
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest-cluster.json").write_text(
        json.dumps({"clients": args.clients, "seconds": args.seconds, **result}, indent=2)
    )
    if not result["integrity"]["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
