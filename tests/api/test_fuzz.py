"""Thousands of malformed requests: never a 5xx, and the database does not change."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from connectors.generic import sign
from hub.app import ENDPOINTS
from hub.bootstrap.database import SESSIONS
from storage.models import Base
from tests.support.api import Api
from tests.support.fuzzing import fuzz

FUZZ = fuzz(400)
WRITES = [
    e
    for e in ENDPOINTS
    if e.method in {"POST", "PATCH"} and e.body is not None and e.auth == "bearer"
]
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def _broken_bodies() -> st.SearchStrategy[bytes]:
    """Bodies no endpoint may accept: not JSON, not an object, or with a field nobody knows."""
    not_json = st.binary(max_size=200).filter(lambda b: not _is_json(b))
    not_object = ANY_JSON.filter(lambda v: not isinstance(v, dict)).map(
        lambda v: json.dumps(v).encode()
    )
    unknown_field = st.dictionaries(st.text(max_size=10), ANY_JSON, max_size=5).map(
        lambda d: json.dumps({**d, "zz_unknown_field": 1}).encode()
    )
    return st.one_of(not_json, not_object, unknown_field)


def _is_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return False
    return True


async def _dump(api: Api) -> dict[str, list[tuple[Any, ...]]]:
    tables = [t for t in Base.metadata.sorted_tables if t.name != "route_decisions"]
    async with api.app[SESSIONS]() as session:
        return {
            t.name: sorted(map(tuple, (await session.execute(select(t))).all()), key=repr)
            for t in tables
        }


async def _seed(api: Api) -> None:
    manager = await api.post("/api/v1/managers", {"name": "Seed", "extension": "101"})
    await api.post(
        "/api/v1/clients",
        {"name": "Seed client", "manager_id": manager["id"], "phones": ["+79161234567"]},
    )


@FUZZ
@given(
    index=st.integers(min_value=0, max_value=len(WRITES) - 1),
    body=_broken_bodies(),
    path_value=st.sampled_from(["1", "blacklist", "%2B79161234567"]),
)
async def test_malformed_bodies(api: Api, index: int, body: bytes, path_value: str) -> None:
    if not hasattr(api, "_seeded"):
        await _seed(api)
        api._seeded = await _dump(api)  # type: ignore[attr-defined]
    endpoint = WRITES[index]
    path = endpoint.path
    for name in ("{id}", "{list}", "{number}"):
        path = path.replace(name, path_value)
    status, _ = await api.call(endpoint.method, path, raw=body)
    assert 400 <= status < 500, (endpoint.method, path, body, status)
    assert await _dump(api) == api._seeded  # type: ignore[attr-defined]


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PATCH", "DELETE"]),
    segments=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=4),
    query=st.dictionaries(
        st.sampled_from(
            [
                "limit",
                "after",
                "before",
                "since",
                "number",
                "manager_id",
                "status",
                "outcome",
                "active",
            ]
        ),
        st.text(max_size=20),
        max_size=3,
    ),
    token=st.sampled_from([None, "", "nonsense", "Bearer"]),
)
async def test_random_paths_queries_and_tokens(
    api: Api, method: str, segments: list[str], query: dict[str, str], token: str | None
) -> None:
    if not hasattr(api, "_seeded"):
        await _seed(api)
        api._seeded = await _dump(api)  # type: ignore[attr-defined]
    from urllib.parse import quote, urlencode

    path = "/api/v1/" + "/".join(quote(s, safe="") for s in segments)
    if query:
        path += "?" + urlencode(query)
    status, _ = await api.call(method, path, token=token, raw=b"{}" if method != "GET" else None)
    assert status < 500, (method, path, status)
    assert await _dump(api) == api._seeded  # type: ignore[attr-defined]


@FUZZ
@given(
    body=st.one_of(_broken_bodies(), ANY_JSON.map(lambda v: json.dumps(v).encode())),
    signed=st.booleans(),
)
async def test_hook_garbage(api: Api, body: bytes, signed: bool) -> None:
    if not hasattr(api, "_seeded"):
        api._seeded = await _dump(api)  # type: ignore[attr-defined]
    headers = (
        {"X-Dozvon-Signature": sign(api.secret, body, int(api.clock.now().timestamp()))}
        if signed
        else {}
    )
    async with api.client.post("/api/v1/hooks/generic", data=body, headers=headers) as response:
        assert response.status in (400, 401, 413), (body, response.status)
    assert await _dump(api) == api._seeded  # type: ignore[attr-defined]
