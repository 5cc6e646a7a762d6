"""A client's phone written with its extension through the API: the number stays E.164 (and is
what routing and other cards see), the extension is kept beside it, changed and restored."""

from __future__ import annotations

from tests.support.api import Api


async def test_extensions_are_kept_beside_the_number(api: Api) -> None:
    card = await api.post(
        "/api/v1/clients",
        {"name": "ООО Офис", "phones": ["+7 495 123-00-00 доб. 123", "8 916 123 45 67"]},
    )
    assert card["phones"] == ["+74951230000", "+79161234567"]
    assert card["extensions"] == {"+74951230000": "123"}
    path = f"/api/v1/clients/{card['id']}"
    # The number without its extension is the same phone: another card cannot take it.
    status, _ = await api.call("POST", "/api/v1/clients", {"name": "B", "phones": ["84951230000"]})
    assert status == 409
    _, kept = await api.call(
        "PATCH", path, {"phones": ["+74951230000", "+79161234567"]}, expect=200
    )
    assert kept["extensions"] == {"+74951230000": "123"}
    added = await api.post(f"{path}/phones", {"number": "+7 916 123-45-67 ext. 7"})
    assert added["extensions"] == {"+74951230000": "123", "+79161234567": "7"}
    await api.call("DELETE", f"{path}/phones/+74951230000", expect=200)
    versions = await api.get(f"{path}/versions")
    first = versions["items"][-1]["version"]
    await api.call("POST", f"{path}/restore", {"version": first}, expect=200)
    restored = await api.get(path)
    assert restored["extensions"] == {"+74951230000": "123"}
    listed = await api.get("/api/v1/clients")
    assert listed["items"][0]["extensions"] == {"+74951230000": "123"}
