"""The API as an integrator reads it: a client found by phone in any format or by a part of his
name in any case, unknown query parameters refused, `status=all`, days as `since`/`until` in the
company's zone, card versions numbered 1, 2, 3..., control characters refused, digit-only
extensions, and one shape for what does not exist (both databases)."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hub
from hub.api.http import query_part
from hub.domain.audit import AuditEntity
from tests.support.api import Api, update

VECTOR = "+79161234567"


async def _raw_get(api: Api, target: bytes) -> tuple[int, str, bytes]:
    """Send a request line as it is (no client encodes it): status, content type, body."""
    server = api.client.server
    reader, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(
        b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Authorization: Bearer " + api.token.encode() + b"\r\n\r\n"
    )
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers.get("Content-Type", ""), body


def _clients(params: dict[str, str]) -> str:
    return f"/api/v1/clients?{urlencode(params)}"


def _names(body: dict[str, Any]) -> list[str]:
    return [c["name"] for c in body["items"]]


async def test_a_client_is_found_by_phone_in_any_format(api: Api) -> None:
    await api.post("/api/v1/clients", {"name": "ООО Вектор", "phones": [VECTOR]})
    await api.post("/api/v1/clients", {"name": "ИП Другой", "phones": ["+79160000002"]})
    for written in ("89161234567", "+7 (916) 123-45-67", "9161234567", "8-916-123-45-67"):
        found = await api.get(_clients({"phone": written}))
        assert _names(found) == ["ООО Вектор"], written
    assert (await api.get("/api/v1/clients?phone=89165550000"))["items"] == []
    status, body = await api.call("GET", "/api/v1/clients?phone=12x")
    assert (status, body["error"]["field"]) == (400, "phone")


async def test_a_name_is_found_in_any_case_cyrillic_too(api: Api) -> None:
    for name in ("ООО Вектор", "ООО ВЕКТОР-М", "Vector Ltd", "ИП 100%_Вектор"):
        await api.post("/api/v1/clients", {"name": name})
    found = await api.get(_clients({"name": "вектор"}))
    assert _names(found) == ["ООО Вектор", "ООО ВЕКТОР-М", "ИП 100%_Вектор"]
    assert _names(await api.get(_clients({"name": "VECTOR"}))) == ["Vector Ltd"]
    # LIKE's wildcards are the characters themselves.
    assert _names(await api.get(_clients({"name": "0%_в"}))) == ["ИП 100%_Вектор"]
    # Pages of a search follow each other.
    first = await api.get(_clients({"name": "вектор", "limit": "2"}))
    assert _names(first) == ["ООО Вектор", "ООО ВЕКТОР-М"]
    rest = await api.get(_clients({"name": "вектор", "after": str(first["next"]["after"])}))
    assert _names(rest) == ["ИП 100%_Вектор"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/clients?nmae=x",
        "/api/v1/callback-cases?staus=open",
        "/api/v1/calls?number=%2B79161234567&sincee=2026-11-01",
        "/api/v1/lists?x=1",
        "/api/v1/audit?entity=client&offset=3",
        "/api/v1/route?from=%2B79161234567&too=1",
    ],
)
async def test_an_unknown_query_parameter_is_refused_by_name(api: Api, path: str) -> None:
    wrong = path.rsplit("&", 1)[-1].split("?")[-1].split("=")[0]
    status, body = await api.call("GET", path)
    assert (status, body["error"]["code"], body["error"]["field"]) == (400, "invalid", wrong)
    assert f"unknown query parameter '{wrong}'" in body["error"]["message"]


async def test_vendor_hooks_and_signed_links_keep_their_parameters(api: Api) -> None:
    # A signed link's own parameters are declared: a wrong one is a 401 about the link.
    status, _ = await api.call("GET", "/api/v1/calls/1/recording?expires=1&signature=x")
    assert status == 401
    # Endpoints that are not our token-guarded API take what comes.
    await api.call("GET", "/healthz?probe=lb", expect=200)


async def test_the_routing_query_is_read_once_and_as_any_other(api: Api) -> None:
    # /api/v1/route reads its values from the parse that checked the names, decoded as aiohttp
    # decodes a query: "+" a space, the first of a repeated name, and an odd value still answered
    # (a stray "%" is itself, bytes that are not UTF-8 are U+FFFD) — a PBX gets its route.
    for target, caller in (
        (b"/api/v1/route?from=%D0", "\ufffd"),
        (b"/api/v1/route?from=%2B79161234567&to=%zz", "+79161234567"),
        (b"/api/v1/route?from=%2B79161234567&call_id=a%FF", "+79161234567"),
    ):
        status, content_type, body = await _raw_get(api, target)
        assert (status, content_type) == (200, "application/json"), body
        assert json.loads(body)["caller"] == caller
    status, _, body = await _raw_get(api, b"/api/v1/route?to=1")
    assert (status, json.loads(body)["error"]["field"]) == (400, "from")
    first = await api.get("/api/v1/route?from=%2B79161234567&from=%2B79031112233")
    assert first["caller"] == "+79161234567"
    spaced = await api.get("/api/v1/route?from=8+916+123-45-67&to=&call_id=")
    assert spaced["caller"] == "+79161234567"
    withheld = await api.get("/api/v1/route?from=")
    assert withheld["caller"] != "+79161234567" and withheld["target"]["type"] == "default"


async def test_a_url_that_is_not_utf8_gets_the_json_error(api: Api) -> None:
    for target, field in (
        (b"/api/v1/clients?name=%D0", "name"),  # a byte that is not UTF-8
        (b"/api/v1/clients?name=%zz", "name"),  # a stray percent sign
        (b"/api/v1/clients?name=a%00b", "name"),  # a NUL
        (b"/api/v1/clients?na%FFme=1", "query"),
    ):
        status, content_type, body = await _raw_get(api, target)
        assert (status, content_type) == (400, "application/json"), body
        assert json.loads(body)["error"]["field"] == field
    # Encoded as it should be, Cyrillic is just Cyrillic.
    status, _, _ = await _raw_get(api, b"/api/v1/clients?name=%D0%92%D0%B5%D0%BA")
    assert status == 200
    # Unencoded, aiohttp's HTTP parser refuses the request line before the application sees it
    # (its own plain-text 400; README says so).
    status, _, _ = await _raw_get(api, "/api/v1/clients?name=Вектор".encode())
    assert status == 400


@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_a_query_part_reads_back_as_written(text: str) -> None:
    """Whatever a client encodes reads back as it was, by the shortcut taken for a part with
    nothing to decode (``from``, digits) and by the full decoding alike."""
    assert query_part(quote(text, safe="")) == text
    assert query_part(quote_plus(text)) == text
    if text.isascii() and not any(c in text for c in "%+&=#"):
        assert query_part(text) == text


async def test_status_all_wherever_there_is_a_status(api: Api) -> None:
    await api.post("/api/v1/clients", {"name": "A", "status": "regular"})
    await api.post("/api/v1/clients", {"name": "B"})
    assert _names(await api.get("/api/v1/clients?status=all")) == ["A", "B"]
    assert _names(await api.get("/api/v1/clients?status=regular")) == ["A"]
    for path in ("/api/v1/callback-cases", "/api/v1/outbox", "/api/v1/unknown-numbers"):
        await api.get(f"{path}?status=all")
        status, body = await api.call("GET", f"{path}?status=nonsense")
        assert (status, body["error"]["field"]) == (400, "status")
        assert "all" in body["error"]["message"]


async def _missed_at(api: Api, call_id: str, caller: str, at: str) -> None:
    start = {"at": at}
    await api.hook(
        [
            update(call_id, "ringing", caller=caller, extension="101", **start),
            update(call_id, "ended", caller=caller, extension="101", reason="no_answer", **start),
        ]
    )


async def test_since_and_until_take_a_day_in_the_company_zone(api: Api) -> None:
    """The clock reads 2026-11-25 10:30 in Moscow; one call a second before that day's
    midnight, one at it (20:59:59 and 21:00:00 UTC the day before)."""
    await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    await _missed_at(api, "late", "+79030000001", "2026-11-24T23:59:59+03:00")
    await _missed_at(api, "early", "+79030000002", "2026-11-25T00:00:00+03:00")

    async def calls(query: str) -> list[str]:
        return [c["call_id"] for c in (await api.get(f"/api/v1/calls?{query}"))["items"]]

    async def cases(query: str) -> list[str]:
        items = (await api.get(f"/api/v1/callback-cases?{query}"))["items"]
        return [c["number"] for c in items]

    assert await calls("since=2026-11-25") == ["early"]
    assert await calls("until=2026-11-24") == ["late"]
    assert await calls("since=2026-11-24&until=2026-11-25") == ["early", "late"]
    assert await calls("since=2026-11-24T21:00:00Z") == ["early"]
    assert await cases("since=2026-11-25") == ["+79030000002"]
    assert await cases("until=2026-11-24") == ["+79030000001"]
    assert await cases("since=2026-11-24&until=2026-11-24") == ["+79030000001"]
    for wrong in ("2026-02-30", "yesterday", "2026-11-25T10:00"):
        status, body = await api.call("GET", f"/api/v1/calls?since={wrong}")
        assert (status, body["error"]["field"]) == (400, "since"), wrong


async def test_versions_are_numbered_from_one_and_restored_by_number(api: Api) -> None:
    card = await api.post("/api/v1/clients", {"name": "Первое имя", "phones": [VECTOR]})
    cid = card["id"]
    # Another card's changes in between do not shift this card's numbers.
    await api.post("/api/v1/clients", {"name": "Чужой"})
    await api.call("PATCH", f"/api/v1/clients/{cid}", {"name": "Второе имя"}, expect=200)
    await api.call("PATCH", f"/api/v1/clients/{cid}", {"name": "Третье имя"}, expect=200)
    versions = (await api.get(f"/api/v1/clients/{cid}/versions"))["items"]
    assert [(v["version"], v["card"]["name"]) for v in versions] == [
        (3, "Третье имя"),
        (2, "Второе имя"),
        (1, "Первое имя"),
    ]
    _, restored = await api.call(
        "POST", f"/api/v1/clients/{cid}/restore", {"version": 1}, expect=200
    )
    assert (restored["name"], restored["phones"]) == ("Первое имя", [VECTOR])
    versions = (await api.get(f"/api/v1/clients/{cid}/versions"))["items"]
    assert [v["version"] for v in versions] == [4, 3, 2, 1]
    assert versions[0]["action"] == "restore"
    status, body = await api.call("POST", f"/api/v1/clients/{cid}/restore", {"version": 9})
    assert (status, body["error"]["field"]) == (400, "version")
    assert "1 to 4" in body["error"]["message"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/clients", {"name": "ООО \x1b[31mКрасный"}, "name"),
        ("/api/v1/clients", {"name": "Нуль\x00"}, "name"),
        ("/api/v1/clients", {"name": "Notes", "notes": "bell\x07"}, "notes"),
        ("/api/v1/managers", {"name": "Иван\x08"}, "name"),
        ("/api/v1/lists", {"slug": "vip", "title": "VIP\x7f"}, "title"),
        ("/api/v1/tokens", {"name": "bi\x00", "role": "viewer"}, "name"),
        ("/api/v1/lists/blacklist/entries", {"number": VECTOR, "note": "a\rb"}, "note"),
    ],
)
async def test_control_characters_are_refused_and_nothing_stored(
    api: Api, path: str, body: dict[str, Any], field: str
) -> None:
    before = await api.get("/api/v1/audit")
    status, answer = await api.call("POST", path, body)
    assert (status, answer["error"]["field"]) == (400, field)
    assert "control character" in answer["error"]["message"]
    assert await api.get("/api/v1/audit") == before


async def test_notes_keep_newlines_and_tabs(api: Api) -> None:
    notes = "первая строка\nвторая\tс табом\r\nтретья"
    card = await api.post("/api/v1/clients", {"name": "С заметками", "notes": notes})
    assert card["notes"] == notes


async def test_an_extension_is_digits_only(api: Api) -> None:
    for wrong in ("10a", "*101", "1#", "", "1" * 21):
        status, body = await api.call("POST", "/api/v1/managers", {"name": "X", "extension": wrong})
        assert (status, body["error"]["field"]) == (400, "extension"), wrong
    manager = await api.post("/api/v1/managers", {"name": "X", "extension": "0101"})
    assert manager["extension"] == "0101"


async def test_audit_entity_must_be_known(api: Api) -> None:
    status, body = await api.call("GET", "/api/v1/audit?entity=spaceship")
    assert (status, body["error"]["field"]) == (400, "entity")
    assert "client" in body["error"]["message"] and "manager" in body["error"]["message"]
    await api.get("/api/v1/audit?entity=callback_case")


def test_every_audited_entity_is_one_the_filter_knows() -> None:
    recorded = set()
    for source in Path(hub.__file__).parent.rglob("*.py"):
        recorded |= set(re.findall(r'\bentity"?\s*[=:]\s*"(\w+)"', source.read_text()))
    assert recorded and recorded <= set(AuditEntity), recorded - set(AuditEntity)


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("GET", "/api/v1/clients/42", None, "client 42 does not exist"),
        ("PATCH", "/api/v1/clients/42", {"name": "X"}, "client 42 does not exist"),
        ("DELETE", "/api/v1/clients/42", None, "client 42 does not exist"),
        ("GET", "/api/v1/clients/42/versions", None, "client 42 does not exist"),
        ("POST", "/api/v1/clients/42/restore", {"version": 1}, "client 42 does not exist"),
        ("GET", "/api/v1/clients/42/calls", None, "client 42 does not exist"),
        ("GET", "/api/v1/clients/42/sales", None, "client 42 does not exist"),
        ("POST", "/api/v1/clients/42/phones", {"number": VECTOR}, "client 42 does not exist"),
        ("GET", "/api/v1/managers/42", None, "manager 42 does not exist"),
        ("GET", "/api/v1/managers/42/absences", None, "manager 42 does not exist"),
        ("DELETE", "/api/v1/absences/42", None, "absence 42 does not exist"),
        ("DELETE", "/api/v1/tokens/42", None, "token 42 does not exist"),
        ("GET", "/api/v1/callback-cases/42", None, "callback case 42 does not exist"),
        ("POST", "/api/v1/callback-cases/42/close", {"reason": "x"}, "case 42 does not exist"),
        ("GET", "/api/v1/calls/42", None, "call 42 does not exist"),
    ],
)
async def test_a_path_id_that_does_not_exist_is_a_404_naming_it(
    api: Api, method: str, path: str, body: Any, message: str
) -> None:
    status, answer = await api.call(method, path, body)
    assert status == 404, answer
    assert answer["error"]["code"] == "not_found"
    assert answer["error"]["field"] == "id"
    assert message in answer["error"]["message"]


async def test_other_things_that_do_not_exist(api: Api) -> None:
    status, answer = await api.call("GET", "/api/v1/lists/nope/entries")
    assert (status, answer["error"]["field"]) == (404, "list")
    status, answer = await api.call("DELETE", f"/api/v1/lists/blacklist/entries/{VECTOR}")
    assert (status, answer["error"]["field"]) == (404, "number")
    status, answer = await api.call(
        "POST", f"/api/v1/unknown-numbers/{VECTOR}/triage", {"action": "list", "list": "spam"}
    )
    assert (status, answer["error"]["field"]) == (404, "number")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/clients", {"name": "X", "manager_id": 42}, "manager_id"),
        ("/api/v1/managers", {"name": "X", "supervisor_id": 42}, "supervisor_id"),
        ("/api/v1/calls/originate", {"manager_id": 42, "number": VECTOR}, "manager_id"),
        (
            "/api/v1/lists",
            {"slug": "hr", "title": "HR", "action": "route", "target_manager_id": 42},
            "target_manager_id",
        ),
    ],
)
async def test_an_id_in_a_body_that_does_not_exist_is_a_400_naming_the_field(
    api: Api, path: str, body: dict[str, Any], field: str
) -> None:
    status, answer = await api.call("POST", path, body)
    assert (status, answer["error"]["field"]) == (400, field), answer
    assert "42 does not exist" in answer["error"]["message"]


async def test_triage_to_what_does_not_exist_names_the_field(api: Api) -> None:
    await api.post("/api/v1/managers", {"name": "Иван", "extension": "101"})
    await _missed_at(api, "c1", VECTOR, "2026-11-25T09:00:00+03:00")
    path = f"/api/v1/unknown-numbers/{VECTOR}/triage"
    status, answer = await api.call("POST", path, {"action": "link", "client_id": 42})
    assert (status, answer["error"]["field"]) == (400, "client_id")
    status, answer = await api.call("POST", path, {"action": "list", "list": "nope"})
    assert (status, answer["error"]["field"]) == (400, "list")
    queue = await api.get("/api/v1/unknown-numbers")
    assert [u["number"] for u in queue["items"]] == [VECTOR]  # still waiting
