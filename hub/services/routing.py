"""Where should this call go now: decided from memory, recorded, measured — and never an error.

One service for every way a PBX asks (the routing API, each vendor's webhook, Asterisk's CURL()
and FastAGI): normalise the caller, decide over the directory snapshot, queue the decision's
record for the writer (beyond a rate, without a call id, count it instead:
hub/services/decision_budget.py), and answer the default route if anything inside fails.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from hub.domain.clock import Clock
from hub.domain.phone import Normalizer, PhoneKind, PhoneNumber
from hub.services.decision_budget import DecisionBudget
from hub.services.routing_snapshot import DirectoryCache
from routing.decision import ReasonCode, RouteDecision, default_decision
from routing.engine import decide

log = logging.getLogger(__name__)

# How many different caller ids the router keeps read (each a few hundred bytes).
NORMALISED = 32_768


def _clean(text: str, limit: int) -> str:
    return text.replace("\x00", "")[:limit]


class RouteRecord(NamedTuple):
    """A decision as made, kept for the writer: the request only builds this tuple; the
    ``route_decisions`` row is made from it later, with the others of its batch."""

    at: datetime
    caller: str
    dialled: str
    decision: RouteDecision
    call_ref: str | None

    def row(self) -> dict[str, Any]:
        decision = self.decision
        return {
            "at": self.at,
            "caller": self.caller,
            "dialled": _clean(self.dialled, 128),
            "target": decision.target.to_json(),
            "reason": decision.reason[:300],
            "reason_code": decision.code.value,
            "call_ref": _clean(self.call_ref, 200) if self.call_ref else None,
        }


RecordDecision = Callable[[RouteRecord], None]


class CallRouter:
    def __init__(
        self,
        directory: DirectoryCache,
        normalize: Normalizer,
        record: RecordDecision,
        clock: Clock,
        *,
        sticky_window: timedelta,
        observe: Callable[[float], None] | None = None,
        budget: DecisionBudget | None = None,
        unrecorded: Callable[[ReasonCode], None] | None = None,
    ) -> None:
        self._directory = directory
        # Callers call again: each different caller id is read once (while it stays among the
        # NORMALISED last ones).
        self._normalize = normalize
        self._caller = lru_cache(maxsize=NORMALISED)(self._read_caller)
        self._record = record
        self._clock = clock
        self._sticky_window = sticky_window
        self._observe = observe
        self._budget = budget
        self._unrecorded = unrecorded

    def route(
        self, caller_raw: str, dialled: str, call_ref: str | None
    ) -> tuple[PhoneNumber, RouteDecision]:
        """Decide, record the decision for the call, and measure."""
        started = time.perf_counter()
        now = self._clock.now()
        caller = self._caller(caller_raw)
        try:
            decision = decide(
                caller, self._directory.snapshot, now, sticky_window=self._sticky_window
            )
        except Exception:
            log.exception("routing failed for %s; answering default", caller.value)
            decision = default_decision("routing error: default route", ReasonCode.ERROR)
        try:
            budget = self._budget
            if call_ref or budget is None or budget.take(now):
                self._record(RouteRecord(now, caller.value, dialled, decision, call_ref))
            else:
                self._count_unrecorded(budget, decision, now)
        except Exception:
            log.exception("could not queue the routing decision record")
        if self._observe is not None:
            self._observe(time.perf_counter() - started)
        return caller, decision

    def _count_unrecorded(
        self, budget: DecisionBudget, decision: RouteDecision, now: datetime
    ) -> None:
        """A decision beyond the budget: counted by its reason, and said in the log now and
        then (hub/services/decision_budget.py)."""
        if self._unrecorded is not None:
            self._unrecorded(decision.code)
        report = budget.report(now)
        if report is None:
            return
        skipped, first = report
        if first:
            log.warning(
                "more than %d routing decisions a second without a call id: those beyond are"
                " answered and counted by reason (dozvon_route_decisions_unrecorded_total),"
                " not stored",
                budget.per_second,
            )
        else:
            log.warning(
                "%d more routing decisions without a call id counted, not stored (more than %d"
                " a second)",
                skipped,
                budget.per_second,
            )

    def _read_caller(self, raw: str) -> PhoneNumber:
        """The caller's number. One the directory holds, written as it is kept there (E.164),
        is taken as it is: it was checked when it was stored. Any other is normalised."""
        if raw[:1] == "+" and self._directory.snapshot.client_by_phone.get(raw) is not None:
            return PhoneNumber(raw=raw, kind=PhoneKind.E164, value=raw)
        return self._normalize(raw)

    def decide(self, caller: str, called: str, call_id: str | None) -> RouteDecision:
        """Routing for a PBX: never raises; anything wrong is the PBX's default route."""
        try:
            return self.route(caller, called, call_id)[1]
        except Exception:
            log.exception("routing failed; answering the default route")
            return default_decision("routing error: default route", ReasonCode.ERROR)
