"""Refused deliveries: logged without a traceback, counted, and the latest kept for the admin."""

from __future__ import annotations

import collections
import logging

from connectors.errors import ConnectorError
from hub.domain.clock import Clock
from hub.runtime.metrics import Metrics

log = logging.getLogger(__name__)
KEEP = 200


class Rejections:
    def __init__(self, metrics: Metrics, clock: Clock, keep: int = KEEP) -> None:
        self._metrics = metrics
        self._clock = clock
        self._kept: collections.deque[dict[str, object]] = collections.deque(maxlen=keep)

    def note(self, connector: str, remote: str | None, error: ConnectorError) -> None:
        log.warning("%s hook refused from %s: %s", connector, remote, error.message)
        self._metrics.rejected.labels(connector, error.code).inc()
        self._kept.append(
            {
                "at": self._clock.now().isoformat(),
                "connector": connector,
                "remote": remote,
                "status": error.status,
                "reason": error.message,
            }
        )

    def latest(self) -> list[dict[str, object]]:
        """Newest first."""
        return list(reversed(self._kept))
