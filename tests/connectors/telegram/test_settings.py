"""The bot's ``[messengers.NAME]`` section: what it needs, what it refuses, what it hides."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from config import ConfigError, load_settings
from connectors.messengers import MESSENGERS
from connectors.telegram import SECRET_HEADER, SPEC, TelegramSettings
from tests.connectors.telegram.conftest import SECRET, TOKEN, section, webhook

ROOT = Path(__file__).parents[3]


def test_defaults_poll_every_25_seconds() -> None:
    settings = section()
    assert settings.mode == "polling" and SPEC.polls(settings)
    assert settings.polling_timeout == timedelta(seconds=25)
    assert settings.api_base is None and settings.proxy is None
    assert not SPEC.polls(webhook())


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"mode": "webhook"}, "needs webhook_secret"),
        ({"webhook_secret": "has space"}, "Telegram's rule"),
        ({"webhook_secret": "x" * 257}, "Telegram's rule"),
        ({"token": "not-a-token"}, "123456789:AAE"),
        ({"proxy": "ftp://proxy.example.com:21"}, "socks5://host:port"),
        ({"proxy": "socks5://proxy.example.com"}, "socks5://host:port"),
        ({"api_base": "api.telegram.org"}, "http:// or https://"),
        ({"bot_username": "bot"}, "5-32"),
        ({"polling_timeout": "90s"}, "at most 50 s"),
        ({"mode": "push"}, "'polling' or 'webhook'"),
        ({"chat_id": 1}, "Extra inputs"),
    ],
)
def test_what_the_section_refuses(values: dict[str, Any], said: str) -> None:
    with pytest.raises(ValidationError) as caught:
        section(**values)
    assert said in str(caught.value)


def test_a_proxy_and_a_webhook_are_taken() -> None:
    settings = webhook(proxy="socks5://user:pass@10.0.0.1:1080", polling_timeout="5s")
    assert settings.proxy == "socks5://user:pass@10.0.0.1:1080"
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == SECRET
    assert settings.polling_timeout == timedelta(seconds=5)
    shown = repr(settings)
    assert TOKEN not in shown and SECRET not in shown and "user:pass" not in shown


def test_deep_links() -> None:
    settings = section(bot_username="@dozvon_client_bot")
    assert settings.bot_username == "dozvon_client_bot"
    assert settings.deep_link("case_17") == "https://t.me/dozvon_client_bot?start=case_17"
    assert section().deep_link("case_17") is None
    for payload in ("", "x" * 65, "a b", "да"):
        with pytest.raises(ValueError, match="payload"):
            settings.deep_link(payload)


def test_the_loader_reads_a_messengers_section(tmp_path: Path) -> None:
    path = tmp_path / "dozvon.toml"
    path.write_text(
        "[messengers.clients_tg]\n"
        'type = "telegram"\n'
        f'token = "{TOKEN}"\n'
        'mode = "webhook"\n'
        f'webhook_secret = "{SECRET}"\n'
        'polling_timeout = "10s"\n'
    )
    types = {"telegram": TelegramSettings}
    loaded = load_settings(path, messenger_types=types).messengers["clients_tg"]
    assert isinstance(loaded, TelegramSettings)
    assert loaded.mode == "webhook" and loaded.polling_timeout == timedelta(seconds=10)
    path.write_text(
        f'[messengers.clients_tg]\ntype = "telegram"\ntoken = "{TOKEN}"\nmode = "webhook"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path, messenger_types=types)
    assert "needs webhook_secret" in str(caught.value)


def test_the_spec() -> None:
    assert MESSENGERS["telegram"] is SPEC
    assert SPEC.settings is TelegramSettings
    assert SPEC.asks_phone and SPEC.secret_header == SECRET_HEADER
    assert SPEC.poll is not None
    assert (ROOT / SPEC.docs).is_file()
