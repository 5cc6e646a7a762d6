"""The ``[messengers.NAME]`` section of a MAX bot: read by its model from the file, its secret
as MAX takes it, known update types only, and its deep links."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from config import ConfigError, load_settings
from connectors.max import SPEC, MaxSettings
from connectors.messengers import MESSENGER_SETTINGS
from tests.connectors.max.conftest import section


def test_the_loader_reads_the_section(tmp_path: Path) -> None:
    path = tmp_path / "dozvon.toml"
    path.write_text(
        "[messengers.max_sales]\n"
        'type = "max"\n'
        'token = "bot-token"\n'
        'webhook_secret = "s3cret_Value-1"\n'
        'bot_username = "@dozvon_bot"\n'
        'update_types = ["message_created", "bot_started", "bot_stopped"]\n'
        'request_timeout = "5s"\n'
    )
    settings = load_settings(path, messenger_types=MESSENGER_SETTINGS)
    bot = settings.messengers["max_sales"]
    assert isinstance(bot, MaxSettings)
    assert bot.token.get_secret_value() == "bot-token"
    assert bot.api_base == "https://platform-api2.max.ru"
    assert bot.bot_username == "dozvon_bot"
    assert bot.update_types == ("message_created", "bot_started", "bot_stopped")
    assert bot.request_timeout.total_seconds() == 5
    assert "bot-token" not in repr(bot) and "s3cret" not in repr(bot)
    assert SPEC.settings is MaxSettings and SPEC.asks_phone
    assert SPEC.secret_header == "X-Max-Bot-Api-Secret"


def test_unknown_keys_and_missing_secrets_are_named(tmp_path: Path) -> None:
    path = tmp_path / "dozvon.toml"
    path.write_text('[messengers.m]\ntype = "max"\ntoken = "t"\nwebhok_secret = "abcdef"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path, messenger_types=MESSENGER_SETTINGS)
    assert "webhook_secret" in str(caught.value) and "webhok_secret" in str(caught.value)


@pytest.mark.parametrize("secret", ["abcd", "x" * 257, "with space", "кириллица", "a/b+c"])
def test_the_secret_is_one_max_accepts(secret: str) -> None:
    with pytest.raises(ValidationError, match="5 to 256"):
        section(webhook_secret=secret)


def test_update_types_are_known() -> None:
    with pytest.raises(ValidationError, match="message_craeted"):
        section(update_types=["message_craeted"])
    with pytest.raises(ValidationError, match="at least one"):
        section(update_types=[])


def test_api_base_is_an_address_without_a_trailing_slash() -> None:
    assert section(api_base="http://127.0.0.1:8081/").api_base == "http://127.0.0.1:8081"
    with pytest.raises(ValidationError, match="http"):
        section(api_base="platform-api2.max.ru")


def test_deep_links() -> None:
    assert section().deep_link("x") is None
    bot = section(bot_username="dozvon_bot")
    assert bot.deep_link() == "https://max.ru/dozvon_bot"
    assert bot.deep_link("invoice-42") == "https://max.ru/dozvon_bot?start=invoice-42"
    assert bot.deep_link("a b/c") == "https://max.ru/dozvon_bot?start=a%20b%2Fc"
    with pytest.raises(ValueError, match="128"):
        bot.deep_link("x" * 129)
    with pytest.raises(ValidationError):
        section(bot_username="https://max.ru/dozvon_bot")
