"""A person's staff channels through the API (both databases): his e-mail address, MAX user id
and order of channels set on creation and change, refused with the field named, a MAX id owned
once, each change audited, and a new address making its channel worth trying again."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from hub.bootstrap.database import SESSIONS
from notifications.rows import reach
from storage.models import Manager
from tests.support.api import Api

DEFAULT = ["telegram", "max", "email"]


async def _person(api: Api, name: str = "Иван Петров", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = await api.post("/api/v1/managers", {"name": name, **extra})
    return body


async def _change(api: Api, manager_id: int, body: dict[str, Any]) -> dict[str, Any]:
    changed: dict[str, Any] = (
        await api.call("PATCH", f"/api/v1/managers/{manager_id}", body, expect=200)
    )[1]
    return changed


async def _stored(api: Api, manager_id: int) -> Manager:
    async with api.app[SESSIONS]() as session:
        found: Manager | None = await session.get(Manager, manager_id)
        assert found is not None
        return found


async def _found_unreachable(api: Api, manager_id: int, *channels: str) -> None:
    """What the sender records when a channel turns out not to reach the person."""
    async with api.app[SESSIONS]() as session:
        await session.execute(
            update(Manager)
            .where(Manager.id == manager_id)
            .values(
                unreachable=[c for c in channels if c != "telegram"],
                chat_unreachable="telegram" in channels,
            )
        )
        await session.commit()


async def test_a_person_is_created_with_his_channels_in_his_order(api: Api) -> None:
    made = await _person(
        api,
        email=" Ivan.Petrov@Example.COM ",
        max_user_id=5_000_000_001,
        channels=["max", "email"],
    )
    assert made["email"] == "Ivan.Petrov@example.com"  # the mailbox as written, domain lowered
    assert (made["max_user_id"], made["channels"], made["unreachable"]) == (
        5_000_000_001,
        ["max", "email"],
        [],
    )
    assert await api.get(f"/api/v1/managers/{made['id']}") == made
    # What the sender reads: his first channel that reaches him.
    assert reach(await _stored(api, made["id"])) == ("max", 5_000_000_001)
    plain = await _person(api, "Ольга", telegram_chat_id=1000)
    assert (plain["email"], plain["max_user_id"], plain["channels"]) == (None, None, DEFAULT)


async def test_no_order_chosen_is_the_company_order(api: Api) -> None:
    made = await _person(api, channels=[], email="ivan@example.com")
    assert made["channels"] == DEFAULT
    assert (await _stored(api, made["id"])).channels is None
    chosen = await _change(api, made["id"], {"channels": ["email"]})
    assert chosen["channels"] == ["email"]
    assert reach(await _stored(api, made["id"])) == ("email", made["id"])
    back = await _change(api, made["id"], {"channels": None})
    assert back["channels"] == DEFAULT
    assert (await _stored(api, made["id"])).channels is None


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"email": "ivan.example.com"}, "email", "exactly one @"),
        ({"email": "ivan@x@example.com"}, "email", "exactly one @"),
        ({"email": "ivan petrov@example.com"}, "email", "no spaces"),
        ({"email": "ivan@example.com\r\nBcc: all@example.com"}, "email", "line breaks"),
        ({"email": "Иван <ivan@example.com>"}, "email", "no spaces"),
        ({"email": "<ivan@example.com>"}, "email", "without <>"),
        ({"email": "ivan,olga@example.com"}, "email", "without ,"),
        ({"email": "ivan@example..com"}, "email", "not a mail domain"),
        ({"email": "@example.com"}, "email", "before the @"),
        ({"email": "i" * 64 + "@" + "e" * 186 + ".com"}, "email", "at most 254"),
        ({"email": 12}, "email", "valid string"),
        ({"max_user_id": 0}, "max_user_id", "greater than or equal to 1"),
        ({"max_user_id": "12345"}, "max_user_id", "valid integer"),
        ({"max_user_id": True}, "max_user_id", "valid integer"),
        ({"channels": ["sms"]}, "channels[0]", "'telegram', 'max' or 'email'"),
        ({"channels": ["max", "email", "max"]}, "channels", "max is named twice"),
        ({"channels": "max"}, "channels", "valid array"),
    ],
)
async def test_a_bad_channel_field_is_refused_by_name_and_nothing_stored(
    api: Api, body: dict[str, Any], field: str, says: str
) -> None:
    status, refused = await api.call("POST", "/api/v1/managers", {"name": "Иван", **body})
    assert (status, refused["error"]["field"]) == (400, field), refused
    assert refused["error"]["message"].startswith(f"{field}: ")
    assert says in refused["error"]["message"], refused
    assert (await api.get("/api/v1/managers"))["items"] == []
    person = await _person(api, email="ivan@example.com")
    status, refused = await api.call("PATCH", f"/api/v1/managers/{person['id']}", body)
    assert (status, refused["error"]["field"]) == (400, field), refused
    assert await api.get(f"/api/v1/managers/{person['id']}") == person


async def test_a_max_user_id_belongs_to_one_person(api: Api) -> None:
    ivan = await _person(api, max_user_id=555)
    status, body = await api.call("POST", "/api/v1/managers", {"name": "Ольга", "max_user_id": 555})
    assert (status, body["error"]["field"]) == (409, "max_user_id")
    assert body["error"]["message"] == f"MAX user 555 is already bound to manager {ivan['id']}"
    assert [m["name"] for m in (await api.get("/api/v1/managers"))["items"]] == ["Иван Петров"]
    olga = await _person(api, "Ольга", max_user_id=556)
    status, body = await api.call("PATCH", f"/api/v1/managers/{olga['id']}", {"max_user_id": 555})
    assert (status, body["error"]["field"]) == (409, "max_user_id")
    assert (await api.get(f"/api/v1/managers/{olga['id']}"))["max_user_id"] == 556
    # His own id again is no conflict; once he lets it go, another may take it.
    await _change(api, ivan["id"], {"max_user_id": 555, "name": "Иван"})
    await _change(api, ivan["id"], {"max_user_id": None})
    assert (await _change(api, olga["id"], {"max_user_id": 555}))["max_user_id"] == 555


async def test_a_change_of_channels_is_audited(api: Api) -> None:
    made = await _person(api, email="ivan@example.com")
    [created] = (await api.get("/api/v1/audit?entity=manager"))["items"]
    assert (created["action"], created["after"]["email"]) == ("create", "ivan@example.com")
    await _change(
        api, made["id"], {"email": "petrov@example.com", "max_user_id": 77, "channels": ["max"]}
    )
    entries = (await api.get("/api/v1/audit?entity=manager"))["items"]
    assert [e["action"] for e in entries] == ["update", "create"]
    change = entries[0]
    assert change["actor"] == "admin"
    before, after = change["before"], change["after"]
    assert (before["email"], before["max_user_id"], before["channels"]) == (
        "ivan@example.com",
        None,
        DEFAULT,
    )
    assert (after["email"], after["max_user_id"], after["channels"]) == (
        "petrov@example.com",
        77,
        ["max"],
    )
    # The same values again change nothing and write no entry.
    await _change(api, made["id"], {"email": "petrov@EXAMPLE.com", "channels": ["max"]})
    assert len((await api.get("/api/v1/audit?entity=manager"))["items"]) == 2


async def test_a_new_address_makes_its_channel_worth_trying_again(api: Api) -> None:
    made = await _person(api, telegram_chat_id=1001, max_user_id=70, email="ivan@example.com")
    await _found_unreachable(api, made["id"], "telegram", "max", "email")
    shown = await api.get(f"/api/v1/managers/{made['id']}")
    assert shown["unreachable"] == ["telegram", "max", "email"]
    assert reach(await _stored(api, made["id"])) == ("console", None)
    # The same address (a form saved as it was) is not a new one.
    same = await _change(api, made["id"], {"email": "ivan@example.com", "max_user_id": 70})
    assert same["unreachable"] == ["telegram", "max", "email"]
    mailed = await _change(api, made["id"], {"email": "ivan.petrov@example.com"})
    assert mailed["unreachable"] == ["telegram", "max"]
    assert reach(await _stored(api, made["id"])) == ("email", made["id"])
    entry = (await api.get("/api/v1/audit?entity=manager"))["items"][0]
    assert (entry["before"]["unreachable"], entry["after"]["unreachable"]) == (
        ["telegram", "max", "email"],
        ["telegram", "max"],
    )
    on_max = await _change(api, made["id"], {"max_user_id": 71})
    assert on_max["unreachable"] == ["telegram"]
    assert reach(await _stored(api, made["id"])) == ("max", 71)
    chat = await _change(api, made["id"], {"telegram_chat_id": 1002})
    assert chat["unreachable"] == []
    assert reach(await _stored(api, made["id"])) == ("telegram", 1002)
    # An address taken away clears its mark too: a later one starts afresh.
    await _found_unreachable(api, made["id"], "email")
    assert (await _change(api, made["id"], {"email": None}))["unreachable"] == []


async def test_the_api_document_describes_the_channels(api: Api) -> None:
    schemas = (await api.get("/api/v1/openapi.json"))["components"]["schemas"]
    for model in ("ManagerCreate", "ManagerUpdate"):
        fields = schemas[model]["properties"]
        assert {"email", "max_user_id", "channels"} <= set(fields), model
        listed = next(s for s in fields["channels"]["anyOf"] if s.get("type") == "array")
        assert listed["items"]["enum"] == DEFAULT
