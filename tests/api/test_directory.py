"""Managers, clients, phones, lists and the audit log through the HTTP API (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support.api import Api
from tests.support.clock import TestClock


async def _manager(api: Api, name: str = "Иван Петров", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = await api.post("/api/v1/managers", {"name": name, **extra})
    return body


async def test_create_manager_and_client_with_normalised_phones(api: Api) -> None:
    manager = await _manager(api, extension="101", role="manager", mobile="8 916 000 11 22")
    assert manager["id"] > 0
    assert manager["mobile"] == "+79160001122"
    client = await api.post(
        "/api/v1/clients",
        {
            "name": "ООО Ромашка",
            "manager_id": manager["id"],
            "phones": ["+7 (916) 123-45-67", "8 495 123 45 67"],
        },
    )
    assert client["phones"] == ["+74951234567", "+79161234567"]
    assert client["manager_id"] == manager["id"]
    again = await api.get(f"/api/v1/clients/{client['id']}")
    assert again == client


async def test_a_phone_belongs_to_one_client(api: Api) -> None:
    first = await api.post("/api/v1/clients", {"name": "A", "phones": ["89161234567"]})
    status, body = await api.call(
        "POST", "/api/v1/clients", {"name": "B", "phones": ["+79161234567"]}
    )
    assert status == 409
    assert body["error"]["code"] == "conflict"
    assert f"client {first['id']}" in body["error"]["message"]
    clients = await api.get("/api/v1/clients")
    assert [c["name"] for c in clients["items"]] == ["A"]  # nothing half-created


async def test_unknown_manager_and_invalid_phone_change_nothing(api: Api) -> None:
    status, body = await api.call(
        "POST", "/api/v1/clients", {"name": "A", "manager_id": 999, "phones": ["+79161234567"]}
    )
    assert (status, body["error"]["field"]) == (400, "manager_id")
    status, body = await api.call(
        "POST", "/api/v1/clients", {"name": "A", "phones": ["+79161234567", "12345"]}
    )
    assert (status, body["error"]["field"]) == (400, "phones[1]")
    assert "internal extension" in body["error"]["message"]
    assert (await api.get("/api/v1/clients"))["items"] == []


async def test_extension_is_unique_and_supervisor_chain_checked(api: Api) -> None:
    boss = await _manager(api, "Boss", role="supervisor", extension="100")
    worker = await _manager(api, "Worker", extension="101", supervisor_id=boss["id"])
    status, body = await api.call("POST", "/api/v1/managers", {"name": "X", "extension": "101"})
    assert (status, body["error"]["field"]) == (409, "extension")
    status, body = await api.call(
        "PATCH", f"/api/v1/managers/{boss['id']}", {"supervisor_id": worker["id"]}
    )
    assert (status, body["error"]["field"]) == (400, "supervisor_id")
    assert "loop" in body["error"]["message"]


async def test_update_phones_history_and_restore(api: Api) -> None:
    manager = await _manager(api, extension="101")
    other = await _manager(api, "Second", extension="102")
    client = await api.post(
        "/api/v1/clients",
        {"name": "Romashka", "manager_id": manager["id"], "phones": ["+79161234567"]},
    )
    cid = client["id"]
    _, changed = await api.call(
        "PATCH",
        f"/api/v1/clients/{cid}",
        {"name": "Romashka LLC", "manager_id": other["id"], "phones": ["+79169999999"]},
        expect=200,
    )
    assert changed["phones"] == ["+79169999999"]
    added = await api.post(f"/api/v1/clients/{cid}/phones", {"number": "89160000001"})
    assert added["phones"] == ["+79160000001", "+79169999999"]
    versions = (await api.get(f"/api/v1/clients/{cid}/versions"))["items"]
    assert [v["action"] for v in versions] == ["update", "update", "create"]
    first = versions[-1]
    _, restored = await api.call(
        "POST", f"/api/v1/clients/{cid}/restore", {"version": first["version"]}, expect=200
    )
    assert restored["name"] == "Romashka"
    assert restored["manager_id"] == manager["id"]
    assert restored["phones"] == ["+79161234567"]
    audit = (await api.get("/api/v1/audit?entity=client"))["items"]
    assert audit[0]["action"] == "restore"
    assert audit[0]["before"]["name"] == "Romashka LLC"
    assert audit[0]["after"]["name"] == "Romashka"
    assert audit[0]["actor"] == "admin"


async def test_deleted_client_can_be_restored(api: Api) -> None:
    client = await api.post("/api/v1/clients", {"name": "Gone", "phones": ["+79161234567"]})
    await api.call("DELETE", f"/api/v1/clients/{client['id']}", expect=204)
    await api.call("GET", f"/api/v1/clients/{client['id']}", expect=404)
    versions = (await api.get(f"/api/v1/clients/{client['id']}/versions"))["items"]
    create = next(v for v in versions if v["action"] == "create")
    _, restored = await api.call(
        "POST",
        f"/api/v1/clients/{client['id']}/restore",
        {"version": create["version"]},
        expect=200,
    )
    assert restored["id"] == client["id"]
    assert restored["phones"] == ["+79161234567"]


async def test_lists_and_entries(api: Api) -> None:
    lists = {item["slug"]: item for item in (await api.get("/api/v1/lists"))["items"]}
    assert {"blacklist", "job_seekers", "suppliers", "spam", "personal"} <= set(lists)
    assert lists["blacklist"]["action"] == "reject"
    entry = await api.post(
        "/api/v1/lists/blacklist/entries", {"number": "8 903 000 00 01", "note": "ругается"}
    )
    assert entry["number"] == "+79030000001"
    status, body = await api.call(
        "POST", "/api/v1/clients", {"name": "X", "phones": ["+79030000001"]}
    )
    assert status == 409 and "blacklist" in body["error"]["message"]
    hr = await _manager(api, "HR", extension="200")
    custom = await api.post(
        "/api/v1/lists",
        {"slug": "partners", "title": "Партнёры", "action": "route", "target_manager_id": hr["id"]},
    )
    assert custom["builtin"] is False
    status, body = await api.call(
        "POST", "/api/v1/lists", {"slug": "bad", "title": "B", "action": "route"}
    )
    assert (status, body["error"]["field"]) == (400, "action")
    await api.call("DELETE", "/api/v1/lists/blacklist", expect=409)
    await api.call("DELETE", "/api/v1/lists/blacklist/entries/+79030000001", expect=204)
    await api.call("DELETE", "/api/v1/lists/partners", expect=204)
    await api.post("/api/v1/lists/nope/entries", {"number": "+79030000001"}, expect=404)


async def test_absences_and_manager_removal(api: Api) -> None:
    manager = await _manager(api, extension="101")
    sub = await _manager(api, "Sub", extension="102")
    absence = await api.post(
        f"/api/v1/managers/{manager['id']}/absences",
        {
            "starts_at": "2026-12-01T00:00:00+03:00",
            "ends_at": "2026-12-15T00:00:00+03:00",
            "substitute_id": sub["id"],
            "note": "отпуск",
        },
    )
    assert absence["substitute_id"] == sub["id"]
    status, body = await api.call(
        "POST",
        f"/api/v1/managers/{manager['id']}/absences",
        {"starts_at": "2026-12-15T00:00:00+03:00", "ends_at": "2026-12-01T00:00:00+03:00"},
    )
    assert (status, body["error"]["field"]) == (400, "ends_at")
    await api.post("/api/v1/clients", {"name": "C", "manager_id": manager["id"]})
    await api.call("DELETE", f"/api/v1/managers/{manager['id']}", expect=409)
    await api.call("DELETE", f"/api/v1/managers/{sub['id']}", expect=204)


async def test_tokens_roles_and_revocation(api: Api) -> None:
    issued = await api.post("/api/v1/tokens", {"name": "asterisk", "role": "pbx"})
    secret = issued["token"]
    await api.call("GET", "/api/v1/route?from=%2B79161234567", token=secret, expect=200)
    await api.call("GET", "/api/v1/clients", token=secret, expect=403)
    viewer = (await api.post("/api/v1/tokens", {"name": "bi", "role": "viewer"}))["token"]
    await api.call("GET", "/api/v1/clients", token=viewer, expect=200)
    await api.call("POST", "/api/v1/clients", {"name": "x"}, token=viewer, expect=403)
    listed = (await api.get("/api/v1/tokens"))["items"]
    assert all("token" not in t for t in listed)
    await api.call("DELETE", f"/api/v1/tokens/{issued['id']}", expect=200)
    await api.call("GET", "/api/v1/route?from=1", token=secret, expect=401)
    await api.call("GET", "/api/v1/clients", token="wrong", expect=401)
    status, body = await api.call("GET", "/api/v1/clients", token="")
    assert status == 401 and body["error"]["code"] == "unauthorized"


async def test_a_token_is_made_and_revoked_by_the_service_s_clock(
    api: Api, clock: TestClock
) -> None:
    made = datetime(2031, 3, 5, 7, 0, tzinfo=UTC)
    clock.set(made)
    issued = await api.post("/api/v1/tokens", {"name": "asterisk", "role": "pbx"})
    created = datetime.fromisoformat(issued["created_at"])
    assert made <= created < made + timedelta(minutes=1)
    clock.advance(timedelta(hours=2))
    revoked = await api.call("DELETE", f"/api/v1/tokens/{issued['id']}", expect=200)
    assert timedelta(hours=2) <= datetime.fromisoformat(revoked[1]["revoked_at"]) - created
    listed = {t["id"]: t for t in (await api.get("/api/v1/tokens"))["items"]}
    assert listed[issued["id"]]["created_at"] == issued["created_at"]


async def test_manager_token_edits_clients_and_is_audited_by_name(api: Api) -> None:
    secret = (await api.post("/api/v1/tokens", {"name": "olga", "role": "manager"}))["token"]
    await api.post("/api/v1/clients", {"name": "Via manager"}, token=secret)
    await api.call("POST", "/api/v1/managers", {"name": "x"}, token=secret, expect=403)
    audit = (await api.get("/api/v1/audit?entity=client"))["items"]
    assert audit[0]["actor"] == "token:olga"
