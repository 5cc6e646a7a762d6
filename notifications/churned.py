"""The daily message to a manager about his clients who stopped buying (became ``churned``).

One outbox row per manager and day: the dedup key names both, so a second run of the daily
recompute, on this instance or another, tells him nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from notifications.catalogue import Language, text
from notifications.rows import outbox_row
from storage.models import Manager

SHOWN = 30  # names listed in one message; the rest are counted


def churned_notice(
    person: Manager, names: Sequence[str], *, day: date, language: Language, now: datetime
) -> dict[str, Any]:
    """The outbox row telling ``person`` that the clients ``names`` stopped buying on ``day``."""
    ordered = sorted(names, key=str.casefold)
    lines = [f"• {name}" for name in ordered[:SHOWN]]
    if len(ordered) > SHOWN:
        lines.append(text("list_more", language, count=len(ordered) - SHOWN))
    body = text(
        "clients_churned",
        language,
        count=len(ordered),
        day=day.isoformat(),
        names="\n".join(lines),
    )
    return outbox_row(
        f"clients:churned:{person.id}:{day.isoformat()}", person, "churned", body, now=now
    )
