"""A service reachable from the network: what it refuses to start without.

Asterisk's routing URL answers without a login; on 127.0.0.1 only this machine can ask it, but
beyond loopback (or behind a proxy: ``http.public_url``) anyone who reaches it could learn whose
phone a number rings. So there, a connector without ``route_key`` stops start-up with a line
naming the key.
"""

from __future__ import annotations

import pytest

from config import ConfigError, load_settings
from config.settings import is_loopback
from connectors.registry import SETTINGS
from hub.cli import main

MESSAGE = (
    "connectors.pbx.route_key (DOZVON_CONNECTORS__PBX__ROUTE_KEY): required when http.host "
    "('0.0.0.0') is not a loopback address: without it anyone who reaches the port may ask "
    "whose phone a number rings; set it and pass &key=... in the dialplan's CURL() routing URL"
)


@pytest.fixture
def asterisk(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """An Asterisk connector ``pbx`` without a route_key, from the environment."""
    monkeypatch.delenv("DOZVON_CONFIG", raising=False)
    monkeypatch.setenv("DOZVON_CONNECTORS__PBX__TYPE", "asterisk")
    monkeypatch.setenv("DOZVON_CONNECTORS__PBX__USERNAME", "dozvon")
    monkeypatch.setenv("DOZVON_CONNECTORS__PBX__SECRET", "ami-secret")
    return monkeypatch


def test_beyond_loopback_an_asterisk_connector_needs_its_route_key(
    asterisk: pytest.MonkeyPatch,
) -> None:
    asterisk.setenv("DOZVON_HTTP__HOST", "0.0.0.0")
    with pytest.raises(ConfigError) as caught:
        load_settings(connector_types=SETTINGS)
    assert str(caught.value) == MESSAGE
    asterisk.setenv("DOZVON_CONNECTORS__PBX__ROUTE_KEY", "k")
    settings = load_settings(connector_types=SETTINGS)
    assert settings.http.host == "0.0.0.0"


def test_behind_a_proxy_too(asterisk: pytest.MonkeyPatch) -> None:
    asterisk.setenv("DOZVON_HTTP__PUBLIC_URL", "https://dozvon.example.com")
    with pytest.raises(ConfigError) as caught:
        load_settings(connector_types=SETTINGS)
    assert str(caught.value).startswith(
        "connectors.pbx.route_key (DOZVON_CONNECTORS__PBX__ROUTE_KEY): required when "
        "http.public_url is set (a proxy forwards requests from the network): "
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.1.1", "::1", "localhost"])
def test_on_loopback_the_route_key_stays_optional(asterisk: pytest.MonkeyPatch, host: str) -> None:
    asterisk.setenv("DOZVON_HTTP__HOST", host)
    settings = load_settings(connector_types=SETTINGS)
    assert settings.http.exposed_by is None


def test_serve_stops_before_listening_and_says_why(
    asterisk: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asterisk.setenv("DOZVON_HTTP__HOST", "0.0.0.0")
    assert main(["serve"]) == 2
    assert capsys.readouterr().err == f"dozvon: configuration error: {MESSAGE}\n"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.10.20.30", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("LocalHost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.10", False),
        ("dozvon.example.com", False),
        ("", False),
    ],
)
def test_what_counts_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
