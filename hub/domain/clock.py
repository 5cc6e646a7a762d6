"""What time it is, as something the app is given rather than something it asks the machine.

Everything that depends on the time (deadlines, digests, the sender's dead letters, what routing
thinks is working hours) reads a :class:`Clock`. The service runs on :class:`SystemClock`; tests
give the app a clock they move, so an escalation after 24 hours or a digest on a Monday takes no
waiting and does not depend on the day ``make test`` runs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, time-zone aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)
