"""The AMI recordings from a real Asterisk 20, real SIP calls
(``tests/connectors/asterisk/recordings``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REFERENCE = Path(__file__).parent.parent / "connectors" / "asterisk" / "recordings"
NAMES = ("a1_answered_plus7", "b_missed_noanswer", "e_callback_answered")


@dataclass(frozen=True)
class Block:
    at: datetime
    direction: str  # recv, recv-banner, sent
    text: str

    @property
    def message(self) -> dict[str, str]:
        fields: dict[str, str] = {}
        for line in self.text.splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields.setdefault(key.strip(), value.strip())
        return fields


def blocks(name: str) -> list[Block]:
    found: list[Block] = []
    text = (REFERENCE / f"{name}.ami.txt").read_text()
    for chunk in text.split("### ")[1:]:
        header, _, body = chunk.partition("\n")
        stamp, direction = header.split()
        found.append(Block(datetime.fromisoformat(stamp), direction, body.strip("\n")))
    return found


def events(name: str) -> list[tuple[datetime, dict[str, str]]]:
    return [
        (b.at, b.message) for b in blocks(name) if b.direction == "recv" and "Event" in b.message
    ]


def meta(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((REFERENCE / f"{name}.meta.json").read_text())
    return loaded
