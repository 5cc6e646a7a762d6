"""Folding a connector's parsed updates the way the pipeline does, for tests without a server:
an update that says what an earlier one said (the same natural key) is dropped, the rest are
folded."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from hub.domain.calls import CallSummary, CallUpdate, StoredUpdate, fold_call


def fold_updates(updates: Iterable[CallUpdate]) -> CallSummary:
    """The call ``updates`` amount to; the first of updates with the same state key is kept."""
    kept: dict[str, CallUpdate] = {}
    for update in updates:
        kept.setdefault(update.state_key, update)
    return fold_call(
        StoredUpdate(
            direction=u.direction,
            state=u.state,
            caller=u.caller.value,
            callee=u.callee.value,
            extension=u.extension,
            leg=u.leg,
            at=u.at or datetime.now(UTC),
            reason=u.reason,
            recording_url=u.recording_url,
            event_id=u.event_id,
        )
        for u in kept.values()
    )
