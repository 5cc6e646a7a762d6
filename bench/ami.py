"""AMI event parsing throughput: the recorded transcripts replayed in a loop.

    make bench-ami                  # or: .venv/bin/python -m bench.ami [--seconds 5]

The bytes Asterisk sent in the three recordings are read back through the client's wire parser
and the call tracker, as the live client does, for a fixed time. The baseline of the same run is
the wire parser alone, so the ratio is what turning events into call updates costs on top.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from connectors.asterisk import CallTracker, format_action, read_message
from hub.domain.phone import Normalizer
from tests.support.ami_transcripts import NAMES, events

HERE = Path(__file__).parent


def _stream(copies: int) -> tuple[bytes, int]:
    """The recorded events ``copies`` times over, each copy under fresh channel ids."""
    chunks, count = [], 0
    for copy in range(copies):
        for name in NAMES:
            for _, event in events(name):
                renamed = {
                    k: (f"{copy}.{v}" if k in ("Uniqueid", "Linkedid", "DestUniqueid") else v)
                    for k, v in event.items()
                }
                chunks.append(format_action(renamed))
                count += 1
    return b"".join(chunks), count


async def _run(data: bytes, *, track: bool) -> float:
    reader = asyncio.StreamReader(limit=2**20)
    reader.feed_data(data)
    reader.feed_eof()
    tracker = CallTracker("bench", Normalizer("RU", 5))
    now = datetime.now(UTC)
    started = time.perf_counter()
    while (message := await read_message(reader)) is not None:
        if track:
            tracker.feed(message, now)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    data, count = _stream(args.copies)
    parse_only = min(asyncio.run(_run(data, track=False)) for _ in range(args.rounds))
    full = min(asyncio.run(_run(data, track=True)) for _ in range(args.rounds))
    result = {
        "events": count,
        "calls": args.copies * len(NAMES),
        "wire_parser_events_per_s": round(count / parse_only),
        "parser_and_tracker_events_per_s": round(count / full),
        "ratio_to_wire_parser": round(parse_only / full, 3),
    }
    print(json.dumps(result, indent=2))
    out = HERE / "results" / "ami.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
