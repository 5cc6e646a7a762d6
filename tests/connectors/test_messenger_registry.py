"""The registry of messenger types agrees with everything built from it: the config loader reads
each type with its model, every configured messenger has its webhook, the OpenAPI document
declares the schemes those webhooks name, and every type has its setup page, listed in the
docs' index."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import pytest

from config import ConfigError, load_settings
from config.settings import ConnectorSection
from connectors.messengers import MESSENGER_SETTINGS, MESSENGERS
from hub.api.messengers import messenger_endpoints
from hub.api.ops import OPENAPI
from hub.app import create_app
from tests.support.settings import make_settings

ROOT = Path(__file__).parents[2]
# The least each type needs; a new type needs its line here too.
SAMPLES: dict[str, dict[str, Any]] = {
    "telegram": {"token": "123456:ABC"},
    "max": {"token": "t", "webhook_secret": "secret-of-max"},
    "vk": {"access_token": "t", "group_id": 1, "confirmation": "c", "secret": "s"},
    "whatsapp": {
        "access_token": "t",
        "phone_number_id": "1065",
        "app_secret": "s",
        "verify_token": "v",
    },
}


def _toml(sections: dict[str, dict[str, Any]]) -> str:
    lines: list[str] = []
    for name, values in sections.items():
        lines.append(f"[messengers.{name}]")
        lines += [f"{key} = {value!r}".replace("'", '"') for key, value in values.items()]
    return "\n".join(lines) + "\n"


def _configured(tmp_path: Path) -> Any:
    path = tmp_path / "dozvon.toml"
    path.write_text(_toml({kind: {"type": kind, **SAMPLES[kind]} for kind in MESSENGERS}))
    return load_settings(path, messenger_types=MESSENGER_SETTINGS)


def test_every_type_is_its_models_type() -> None:
    assert set(SAMPLES) == set(MESSENGERS)
    for kind, spec in MESSENGERS.items():
        assert issubclass(spec.settings, ConnectorSection)
        assert get_args(spec.settings.model_fields["type"].annotation) == (kind,)
        assert MESSENGER_SETTINGS[kind] is spec.settings
        assert spec.description and "\n" not in spec.description


def test_the_loader_reads_each_type_with_its_model_and_names_mistakes(tmp_path: Path) -> None:
    settings = _configured(tmp_path)
    assert {name: type(section) for name, section in settings.messengers.items()} == {
        kind: spec.settings for kind, spec in MESSENGERS.items()
    }
    path = tmp_path / "bad.toml"
    path.write_text(_toml({"mx": {"type": "max", "token": "t", "webhook_secret": "s" * 8, "x": 1}}))
    with pytest.raises(ConfigError) as caught:
        load_settings(path, messenger_types=MESSENGER_SETTINGS)
    assert str(caught.value) == f"messengers.mx.x (in {path}): unknown key"
    path.write_text(_toml({"mx": {"type": "icq"}}))
    with pytest.raises(ConfigError, match=r"messengers\.mx .*'icq'"):
        load_settings(path, messenger_types=MESSENGER_SETTINGS)


def test_every_messenger_has_its_webhook_and_scheme(tmp_path: Path) -> None:
    settings = _configured(tmp_path)
    document = create_app(settings)[OPENAPI]
    schemes = document["components"]["securitySchemes"]
    for kind, spec in MESSENGERS.items():
        path = f"/api/v1/messengers/{kind}/webhook"
        endpoints = [e for e in messenger_endpoints(settings) if e.path == path]
        assert {e.method for e in endpoints} == {"POST", "GET"}, kind
        post = document["paths"][path]["post"]
        if spec.secret_header is None:
            assert post["security"] == []  # the secret travels in the body (VK)
            continue
        scheme = f"messenger_{kind}"
        assert schemes[scheme] == {"type": "apiKey", "in": "header", "name": spec.secret_header}
        assert post["security"] == [{scheme: []}]


def test_a_section_not_read_by_its_model_is_refused_clearly() -> None:
    section = ConnectorSection(type="max")
    settings = make_settings("sqlite+aiosqlite:///:memory:", messengers={"mx": section})
    with pytest.raises(TypeError, match=r"messengers\.mx"):
        messenger_endpoints(settings)


def test_every_type_has_its_page_in_the_docs_index() -> None:
    index = (ROOT / "docs" / "messengers" / "README.md").read_text()
    for kind, spec in MESSENGERS.items():
        page = ROOT / spec.docs
        assert page.is_file(), spec.docs
        assert f"`{kind}`" in index and f"]({page.name})" in index, kind
