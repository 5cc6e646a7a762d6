"""The handler map: which reactions each kind of fact gets, during the transaction or after it.

Two kinds of handler, the difference that matters for the invariants:

* **within** the transaction that made the fact — writing the alerts about a case into the
  outbox, so the message and the fact commit together or not at all (a failure rolls both back);
* **after** the commit — waking the sender, telling routing who talked to whom, the screen pop.
  Each runs on its own: one that raises is logged and the others still run (the fact is stored
  whatever they do).

The map is built once, in ``hub/bootstrap``; services receive it and never know who listens.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hub.domain.facts import Fact
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

Within = Callable[[UnitOfWork, Sequence[Any]], Awaitable[None]]
After = Callable[[Sequence[Any]], None]


def _grouped(facts: Sequence[Fact]) -> dict[type, list[Fact]]:
    grouped: dict[type, list[Fact]] = {}
    for fact in facts:
        grouped.setdefault(type(fact), []).append(fact)
    return grouped


@dataclass(frozen=True, slots=True)
class FactHandlers:
    within_map: dict[type, list[Within]] = field(default_factory=dict)
    after_map: dict[type, list[After]] = field(default_factory=dict)

    async def within(self, uow: UnitOfWork, facts: Sequence[Fact]) -> None:
        """Run the in-transaction handlers (their writes commit with the facts)."""
        for kind, same in _grouped(facts).items():
            for handler in self.within_map.get(kind, ()):
                await handler(uow, same)

    def committed(self, facts: Sequence[Fact]) -> None:
        """Run the after-commit handlers, each isolated from the others' failures."""
        for kind, same in _grouped(facts).items():
            for handler in self.after_map.get(kind, ()):
                try:
                    handler(same)
                except Exception:
                    log.exception("handler %r failed on %d %s fact(s)", handler, len(same), kind)
