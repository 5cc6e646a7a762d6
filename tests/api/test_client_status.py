"""Client statuses over HTTP: a closed set (anything else is a 400 naming the allowed values),
``potential`` by default, and sales recorded and listed per client."""

from __future__ import annotations

import pytest

from tests.support.api import Api

ALLOWED = ("potential", "new", "regular", "lapsed", "churned")


async def test_a_new_client_is_potential(api: Api) -> None:
    card = await api.post("/api/v1/clients", {"name": "ООО Ромашка"})
    assert card["status"] == "potential"
    assert (card["status_set_by_hand"], card["status_set_by_hand_at"]) == (False, None)
    chosen = await api.post("/api/v1/clients", {"name": "АО Вектор", "status": "regular"})
    assert (chosen["status"], chosen["status_set_by_hand"]) == ("regular", True)


@pytest.mark.parametrize("status", ["vip", "active", "Regular", ""])
async def test_a_status_outside_the_set_is_refused_naming_the_allowed_ones(
    api: Api, status: str
) -> None:
    code, body = await api.call("POST", "/api/v1/clients", {"name": "X", "status": status})
    assert code == 400 and body["error"]["field"] == "status"
    assert all(name in body["error"]["message"] for name in ALLOWED)
    card = await api.post("/api/v1/clients", {"name": "Y"})
    code, body = await api.call("PATCH", f"/api/v1/clients/{card['id']}", {"status": status})
    assert code == 400 and body["error"]["field"] == "status"
    assert all(name in body["error"]["message"] for name in ALLOWED)
    assert (await api.get(f"/api/v1/clients/{card['id']}"))["status"] == "potential"
    code, body = await api.call("GET", f"/api/v1/clients?status={status or 'x'}")
    assert code == 400 and all(name in body["error"]["message"] for name in ALLOWED)


async def test_clients_are_listed_by_status(api: Api) -> None:
    await api.post("/api/v1/clients", {"name": "A"})
    await api.post("/api/v1/clients", {"name": "B", "status": "churned"})
    found = (await api.get("/api/v1/clients?status=churned"))["items"]
    assert [c["name"] for c in found] == ["B"]


async def test_sales_are_validated_and_listed(api: Api) -> None:
    card = await api.post("/api/v1/clients", {"name": "ООО Ромашка"})
    path = f"/api/v1/clients/{card['id']}/sales"
    for body, field in [
        ({"date": "25.11.2026", "amount": "1"}, "date"),
        ({"date": "2026-11-25", "amount": "-1"}, "amount"),
        ({"date": "2026-11-25", "amount": "1.001"}, "amount"),
        ({"date": "2026-11-25"}, "amount"),
        ({"date": "2026-11-25", "amount": "1", "extra": 1}, "extra"),
    ]:
        code, answer = await api.call("POST", path, body)
        assert (code, answer["error"]["field"]) == (400, field), answer
    code, _ = await api.call(
        "POST", "/api/v1/clients/999/sales", {"date": "2026-11-25", "amount": "1"}
    )
    assert code == 404
    sale = await api.post(path, {"date": "2026-11-20", "amount": "123.4", "source": "счёт 17"})
    assert (sale["date"], sale["amount"], sale["source"]) == ("2026-11-20", "123.40", "счёт 17")
    assert sale["created_by"] == "admin"
    assert (await api.get(path))["items"] == [sale]
    assert (await api.get("/api/v1/clients/999/sales", expect=404))["error"]["code"] == "not_found"
