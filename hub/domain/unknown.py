"""Unknown numbers: outside numbers that called and are neither a client's nor on a list.

Each waits in the triage queue (open) until someone links it to a client, makes a client of it
or lists it (resolved); a resolved number that calls again while still unknown opens again.
"""

from __future__ import annotations

import enum


class UnknownStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
