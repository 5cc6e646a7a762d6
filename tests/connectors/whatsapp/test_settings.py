"""A ``[messengers.NAME]`` section of type ``whatsapp``: read with its model, wrong keys named."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError, load_settings
from connectors.messengers import MESSENGER_SETTINGS, MESSENGERS
from connectors.whatsapp import SPEC, WhatsAppSettings

SECTION = """
[messengers.wa]
type = "whatsapp"
access_token = "EAAG-token"
phone_number_id = "106540352242922"
app_secret = "app-secret"
verify_token = "verify-me"
"""


def test_the_registry_names_the_whatsapp_connector() -> None:
    assert MESSENGERS["whatsapp"] is SPEC
    assert MESSENGER_SETTINGS["whatsapp"] is WhatsAppSettings
    assert SPEC.secret_header == "X-Hub-Signature-256"
    assert Path(__file__).parents[3].joinpath(SPEC.docs).is_file()


def test_a_section_is_read_with_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "dozvon.toml"
    path.write_text(SECTION)
    section = load_settings(path, messenger_types=MESSENGER_SETTINGS).messengers["wa"]
    assert isinstance(section, WhatsAppSettings)
    assert section.api_base == "https://graph.facebook.com/v21.0"
    assert (section.template, section.template_language) == (None, "ru")
    assert all(secret not in repr(section) for secret in ("EAAG-token", "app-secret", "verify-me"))


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('phone_number_id = "+1 555 0100"', "phone_number_id"),
        ('template = "Reopen Chat"', "template"),
        ('verify_token = ""', "verify_token"),
        ('webhook = "x"', "webhook"),
    ],
)
def test_a_wrong_key_is_named(tmp_path: Path, line: str, key: str) -> None:
    path = tmp_path / "dozvon.toml"
    kept = [text for text in SECTION.splitlines() if not text.startswith(f"{key} ")]
    path.write_text("\n".join([*kept, line]) + "\n")
    with pytest.raises(ConfigError, match=key):
        load_settings(path, messenger_types=MESSENGER_SETTINGS)
