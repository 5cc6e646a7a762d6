"""The outbox sender draining 10,000 alerts to the stand-in Bot API server.

    make bench-sender               # or: .venv/bin/python -m bench.sender [--messages 10000]

Queues the alerts (a fifth of them for ten busy chats, the rest spread over 800 chats), starts
the real sender with the real Telegram channel (aiogram) against the stand-in server, and
reports the achieved messages/s as a ratio of the 25/s global ceiling, together with what the
stand-in saw: the most messages in any one-second window (limit 25) and the shortest gap between
two messages to one chat (limit 1 s).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestServer
from sqlalchemy import insert

from bench.databases import bench_database
from config.settings import DatabaseSettings
from hub.domain.clock import SystemClock
from notifications.channels import ConsoleChannel
from notifications.rows import chat_row
from notifications.sender import OutboxSender, SenderPolicy
from notifications.telegram import TelegramChannel, create_bot
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import OutboxMessage
from storage.types import utcnow
from tests.support.telegram_stub import BotApiStub

HERE = Path(__file__).parent
CEILING = 25.0


def _chats(count: int) -> list[int]:
    """A fifth of the messages for ten busy chats, the rest over 800 chats; shuffled."""
    rng = random.Random(11)
    busy = [10_000 + rng.randrange(10) for _ in range(count // 5)]
    spread = [20_000 + i % 800 for i in range(count - len(busy))]
    chats = busy + spread
    rng.shuffle(chats)
    return chats


async def _queue(url: str, count: int) -> None:
    engine = create_engine(DatabaseSettings(url=url))
    try:
        await upgrade(engine)
        now = utcnow()
        rows = [
            chat_row(f"bench:{i}", chat, "missed", f"📵 Пропущенный звонок\n+7916{i:07d}", now=now)
            for i, chat in enumerate(_chats(count))
        ]
        async with engine.begin() as conn:
            for start in range(0, len(rows), 2000):
                await conn.execute(insert(OutboxMessage), rows[start : start + 2000])
    finally:
        await engine.dispose()


def _limits(stub: BotApiStub) -> tuple[int, float]:
    """The most messages in any one-second window, and the shortest gap within one chat."""
    sent = sorted((r.at, int(r.params["chat_id"])) for r in stub.calls("sendMessage"))
    times = [at for at, _ in sent]
    most, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    by_chat: dict[int, list[float]] = defaultdict(list)
    for at, chat in sent:
        by_chat[chat].append(at)
    gaps = [b - a for moments in by_chat.values() for a, b in itertools.pairwise(moments)]
    return most, min(gaps) if gaps else float("inf")


async def _run(url: str, count: int) -> dict[str, Any]:
    print(f"queueing {count:,} alerts ...", file=sys.stderr)
    await _queue(url, count)
    stub = BotApiStub()
    server = TestServer(stub.app())
    await server.start_server()
    engine = create_engine(DatabaseSettings(url=url))
    bot = create_bot("123456:BENCH", api_base=str(server.make_url("")).rstrip("/"))
    sender = OutboxSender(
        create_session_factory(engine),
        {"console": ConsoleChannel(), "telegram": TelegramChannel(bot)},
        SenderPolicy(
            per_chat_interval=1.0,
            global_rate=CEILING,
            max_backoff=300.0,
            dead_after=timedelta(hours=24),
            poll_interval=1.0,
        ),
        SystemClock(),
    )
    try:
        started = time.monotonic()
        sender.start()
        shown = 0
        while len(stub.calls("sendMessage")) < count:
            await asyncio.sleep(0.5)
            done = len(stub.calls("sendMessage"))
            if done - shown >= 500:
                shown = done
                rate = done / (time.monotonic() - started)
                print(f"\r  {done:,} sent, {rate:.1f}/s", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        first = stub.calls("sendMessage")[0].at
        elapsed = stub.calls("sendMessage")[-1].at - first
        await sender.stop()
        most, gap = _limits(stub)
        rate = (count - 1) / elapsed
        return {
            "messages": count,
            "chats": len({r.params["chat_id"] for r in stub.calls("sendMessage")}),
            "seconds": round(elapsed, 1),
            "messages_per_second": round(rate, 2),
            "ratio_to_ceiling": round(rate / CEILING, 3),
            "most_in_one_second": most,
            "global_limit": int(CEILING),
            "shortest_gap_in_one_chat_s": round(gap, 3),
            "duplicates": len(stub.calls("sendMessage")) - count,
        }
    finally:
        await sender.stop()
        await bot.session.close()
        await server.close()
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    with bench_database(args.database) as (url, _):
        result = asyncio.run(_run(url, args.messages))
    result["database"] = args.database
    print(json.dumps(result, indent=2))
    out = HERE / "results" / f"sender-{args.database}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
