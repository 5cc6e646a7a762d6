"""A ``[messengers.NAME]`` section of type ``vk``: read with its model, unknown keys refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError, load_settings
from connectors.messengers import MESSENGER_SETTINGS, MESSENGERS
from connectors.vk import SPEC, VkSettings

SECTION = """
[messengers.shop_vk]
type = "vk"
access_token = "vk1.a.token"
group_id = 229000001
confirmation = "9f3c1b2a"
secret = "s3cret"
"""


def test_the_registry_names_the_vk_connector() -> None:
    assert MESSENGERS["vk"] is SPEC
    assert MESSENGER_SETTINGS["vk"] is VkSettings
    assert Path(__file__).parents[3].joinpath(SPEC.docs).is_file()


def test_a_section_is_read_with_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "dozvon.toml"
    path.write_text(SECTION)
    section = load_settings(path, messenger_types=MESSENGER_SETTINGS).messengers["shop_vk"]
    assert isinstance(section, VkSettings)
    assert section.group_id == 229000001
    assert section.secret.get_secret_value() == "s3cret"
    assert (section.api_base, section.api_version) == ("https://api.vk.com/method", "5.199")
    assert "s3cret" not in repr(section) and "vk1.a.token" not in repr(section)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ('typo = "x"', "typo"),
        ('secret = ""', "secret"),
    ],
)
def test_a_wrong_key_is_named(tmp_path: Path, change: str, key: str) -> None:
    path = tmp_path / "dozvon.toml"
    lines = [line for line in SECTION.splitlines() if not line.startswith(key)]
    path.write_text("\n".join([*lines, change]) + "\n")
    with pytest.raises(ConfigError, match=key):
        load_settings(path, messenger_types=MESSENGER_SETTINGS)
