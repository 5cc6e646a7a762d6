"""Prometheus metrics, in a registry that belongs to one application (no global state)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


@dataclass(frozen=True, slots=True)
class Metrics:
    registry: CollectorRegistry
    requests: Counter
    route_latency: Histogram
    events_ingested: Counter
    duplicates_dropped: Counter
    unknown_open: Gauge
    rejected: Counter
    backlog: Gauge
    unrecorded: Counter
    jobs_running: Gauge
    # The request counter's children by (method, route, status), found once each: looking a
    # child up by its labels takes a lock and builds a tuple on every request otherwise.
    _served: dict[tuple[str, str, int], Counter] = field(default_factory=dict)
    _unrecorded: dict[str, Counter] = field(default_factory=dict)

    def served(self, method: str, route: str, status: int) -> Counter:
        """The counter of requests answered with ``status`` on ``route``."""
        key = (method, route, status)
        child = self._served.get(key)
        if child is None:
            child = self._served[key] = self.requests.labels(method, route, str(status))
        return child

    def unrecorded_decision(self, code: str) -> None:
        """Count a routing decision that was not stored (too many a second), by its reason."""
        child = self._unrecorded.get(code)
        if child is None:
            child = self._unrecorded[code] = self.unrecorded.labels(code)
        child.inc()


def create_metrics() -> Metrics:
    registry = CollectorRegistry(auto_describe=True)
    return Metrics(
        registry=registry,
        requests=Counter(
            "dozvon_http_requests",
            "HTTP requests served",
            ["method", "route", "status"],
            registry=registry,
        ),
        route_latency=Histogram(
            "dozvon_route_latency_seconds",
            "Time to decide where a call goes",
            buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1),
            registry=registry,
        ),
        events_ingested=Counter(
            "dozvon_events_ingested", "Call updates stored", ["connector"], registry=registry
        ),
        duplicates_dropped=Counter(
            "dozvon_duplicates_dropped",
            "Call updates dropped as repeats",
            ["connector"],
            registry=registry,
        ),
        unknown_open=Gauge(
            "dozvon_unknown_numbers_open", "Unknown numbers waiting for triage", registry=registry
        ),
        rejected=Counter(
            "dozvon_hook_rejected",
            "Webhook deliveries refused",
            ["connector", "reason"],
            registry=registry,
        ),
        backlog=Gauge(
            "dozvon_ingest_backlog",
            "Call updates already answered for that wait to be stored (storage failed)",
            registry=registry,
        ),
        unrecorded=Counter(
            "dozvon_route_decisions_unrecorded",
            "Routing decisions without a call id counted, not stored (beyond the rate stored)",
            ["reason_code"],
            registry=registry,
        ),
        jobs_running=Gauge(
            "dozvon_job_running",
            "Whether a periodic job runs now (1) or waits for its time (0)",
            ["job"],
            registry=registry,
        ),
    )
