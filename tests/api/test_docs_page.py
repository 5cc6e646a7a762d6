"""``/api/docs``: the OpenAPI document as a page, every file of it served by the service itself."""

from __future__ import annotations

import re

from tests.support.api import Api


async def test_the_docs_page_loads_nothing_from_another_site(api: Api) -> None:
    async with api.client.get("/api/docs") as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        html = await response.text()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        async with api.client.get(source) as asset:
            assert asset.status == 200, source
            assert len(await asset.read()) > 100
    async with api.client.get("/api/docs/start.js") as start:
        assert "/api/v1/openapi.json" in await start.text()
