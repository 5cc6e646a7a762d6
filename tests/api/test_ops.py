"""Liveness, readiness, metrics and the OpenAPI document."""

from __future__ import annotations

import json
import logging

import pytest

from hub.api.docs import PATHS as DOCS
from hub.bootstrap.people import SCHEDULE
from hub.console import PATHS as CONSOLE
from tests.support.api import Api, update


async def test_health_and_readiness(api: Api) -> None:
    assert await api.get("/healthz") == {"status": "ok"}
    ready = await api.get("/readyz")
    assert ready["status"] == "ok" and ready["migrations"] == "current"


async def test_metrics_count_requests_events_and_duplicates(api: Api) -> None:
    await api.get("/api/v1/route?from=%2B79161234567")
    batch = [update("m1", "ringing"), update("m1", "ended")]
    await api.hook(batch)
    await api.hook(batch)
    async with api.client.get("/metrics") as response:
        assert response.status == 200
        text = await response.text()
    assert 'dozvon_events_ingested_total{connector="generic"} 2.0' in text
    assert 'dozvon_duplicates_dropped_total{connector="generic"} 2.0' in text
    assert "dozvon_unknown_numbers_open 1.0" in text
    assert "dozvon_route_latency_seconds_count 1.0" in text
    assert 'route="/api/v1/route",status="200"' in text


async def test_metrics_say_which_periodic_jobs_run(api: Api) -> None:
    schedule = api.app[SCHEDULE]
    for name in schedule.names:
        await schedule.settle(name)
    async with api.client.get("/metrics") as response:
        text = await response.text()
    assert 'dozvon_job_running{job="client statuses"} 0.0' in text
    assert 'dozvon_job_running{job="escalation sweep"} 0.0' in text


async def test_openapi_lists_every_route(api: Api) -> None:
    document = await api.get("/api/v1/openapi.json")
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path, method in [
        ("/api/v1/managers", "post"),
        ("/api/v1/clients", "post"),
        ("/api/v1/lists/{list}/entries", "post"),
        ("/api/v1/route", "get"),
        ("/api/v1/hooks/generic", "post"),
        ("/api/v1/unknown-numbers", "get"),
        ("/api/v1/calls", "get"),
    ]:
        assert method in paths[path], (path, method)
    schemas = document["components"]["schemas"]
    assert "ClientCreate" in schemas and "Error" in schemas
    assert schemas["ClientCreate"]["additionalProperties"] is False
    registered = {
        (r.method, r.resource.canonical)
        for r in api.app.router.routes()
        if r.resource is not None
        and r.method != "HEAD"
        and r.resource.canonical not in CONSOLE | DOCS
    }
    documented = {(m.upper(), p) for p, ops in paths.items() for m in ops}
    assert registered == documented


async def test_unknown_paths_and_methods_are_json_errors(api: Api) -> None:
    status, body = await api.call("GET", "/api/v1/nothing-here")
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = await api.call("PUT", "/api/v1/clients")
    assert status == 405 and body["error"]["code"] == "method_not_allowed"


async def test_routing_fails_open(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("snapshot corrupted")

    monkeypatch.setattr("hub.services.routing.decide", broken)
    decision = await api.get("/api/v1/route?from=%2B79161234567")
    assert decision["target"] == {"type": "default"}
    assert decision["reason_code"] == "error"


async def test_readiness_reports_pending_migrations(api: Api) -> None:
    from hub.bootstrap.database import ENGINE
    from storage.migrate import downgrade

    await downgrade(api.app[ENGINE], "base")
    status, body = await api.call("GET", "/readyz")
    assert status == 503
    assert body["migrations"] == "behind"


def test_json_log_lines(capsys: pytest.CaptureFixture[str]) -> None:
    from config.settings import LogSettings
    from hub.logs import configure_logging

    configure_logging(LogSettings(format="json"))
    logging.getLogger("dozvon.test").warning("звонок %s", 42)
    line = capsys.readouterr().err.strip().splitlines()[-1]
    entry = json.loads(line)
    assert entry["message"] == "звонок 42"
    assert entry["level"] == "warning"
