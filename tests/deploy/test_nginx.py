"""docs/deploy.md followed on this machine: its nginx site, over HTTPS, in front of a real
``dozvon serve`` on SQLite.

Twilio signs the public URL it called; with no ``public_url`` configured the service rebuilds
it from ``X-Forwarded-Proto`` and ``X-Forwarded-Host``, so a signed webhook accepted through
nginx (and refused when sent to the service directly) shows that the site forwards them.
"""

from __future__ import annotations

import re
import ssl
from pathlib import Path

import aiohttp
import pytest

from config.settings import HttpSettings
from tests.connectors.twilio.payloads import PUBLIC, TOKEN, call, sign
from tests.deploy.nginx import SERVER_NAME, SITE, Proxy, nginx_in_front
from tests.support.service import serving

GUIDE = SITE.parents[1] / "deploy.md"
VOICE = "/api/v1/hooks/tw/voice"


def test_the_guide_quotes_the_site_as_it_is_tested() -> None:
    assert f"```nginx\n{SITE.read_text()}```\n" in GUIDE.read_text()


def test_nginx_takes_the_body_the_service_takes() -> None:
    found = re.search(r"client_max_body_size (\d+)k;", SITE.read_text())
    assert found, "client_max_body_size is not in kilobytes"
    assert int(found.group(1)) * 1024 == HttpSettings().max_body_bytes


async def _through(proxy: Proxy, session: aiohttp.ClientSession) -> None:
    https = f"https://127.0.0.1:{proxy.https_port}"
    host = {"Host": SERVER_NAME}
    async with session.get(f"{https}/readyz", headers=host) as response:
        assert response.status == 200, await response.text()
        assert (await response.json())["status"] == "ok"
    plain = f"http://127.0.0.1:{proxy.http_port}/readyz"
    async with session.get(plain, headers=host, allow_redirects=False) as response:
        assert (response.status, response.headers["Location"]) == (
            301,
            f"https://{SERVER_NAME}/readyz",
        )
    params = call("CA" + "1" * 32)
    signed = {**host, "X-Twilio-Signature": sign(PUBLIC + VOICE, params)}
    async with session.post(f"{https}{VOICE}", data=params, headers=signed) as response:
        assert response.status == 200, await response.text()
        assert "<Response>" in await response.text()
    too_big = {"Body": "x" * HttpSettings().max_body_bytes}
    async with session.post(f"{https}{VOICE}", data=too_big, headers=host) as response:
        assert response.status == 413


@pytest.mark.slow
async def test_readyz_and_a_signed_webhook_through_the_guide_s_nginx(tmp_path: Path) -> None:
    settings = {
        "DOZVON_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path}/dozvon.db",
        "DOZVON_ADMIN__TOKEN": "deploy-admin",
        "DOZVON_CONNECTORS__TW__TYPE": "twilio",
        "DOZVON_CONNECTORS__TW__AUTH_TOKEN": TOKEN,
    }
    async with serving(tmp_path, settings) as base:
        port = int(base.rsplit(":", 1)[1])
        with nginx_in_front(tmp_path / "nginx", port) as proxy:
            trusted = ssl.create_default_context(cafile=str(proxy.certificate))
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=trusted)) as s:
                await _through(proxy, s)
                # Sent to the service itself, the same request lacks the forwarded headers.
                params = call("CA" + "2" * 32)
                signed = {"X-Twilio-Signature": sign(PUBLIC + VOICE, params)}
                async with s.post(f"{base}{VOICE}", data=params, headers=signed) as response:
                    assert response.status == 401
