"""The reports' lines as plain dicts: what the API returns and the CLI prints."""

from __future__ import annotations

from typing import Any

from hub.domain.forgotten import ForgottenClient
from hub.domain.kpi import KpiLine
from hub.domain.unregistered import UnregisteredNumber
from hub.services.serialisers import iso


def unregistered_view(line: UnregisteredNumber) -> dict[str, Any]:
    return {
        "number": line.number,
        "manager_id": line.manager_id,
        "calls": line.calls,
        "first_call": iso(line.first_call),
        "last_call": iso(line.last_call),
        "recordings": list(line.recordings),
    }


def kpi_view(line: KpiLine) -> dict[str, Any]:
    return {
        "manager_id": line.manager_id,
        "triaged": line.triaged,
        "clients_created": line.clients_created,
        "phones_added": line.phones_added,
        "refined": line.refined,
    }


def forgotten_view(client: ForgottenClient) -> dict[str, Any]:
    return {
        "client_id": client.client_id,
        "name": client.name,
        "manager_id": client.manager_id,
        "last_contact": iso(client.last_contact),
        "days": client.days,
    }
