"""The registry of connector types agrees with everything built from it: the config loader reads
each type with its model, every type has its endpoints, the OpenAPI document declares the schemes
those endpoints name, and every type has its setup page, listed in the docs' index."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import pytest

from config import ConfigError, load_settings
from config.settings import ConnectorSection
from connectors.registry import CONNECTORS, SETTINGS
from hub.api.ops import OPENAPI
from hub.api.pbx import ENDPOINTS, connector_endpoints
from hub.app import create_app
from tests.support.settings import make_settings

ROOT = Path(__file__).parents[2]
# The least each type needs; a new type needs its line here too.
SAMPLES: dict[str, dict[str, Any]] = {
    "asterisk": {"username": "dozvon", "secret": "s"},
    "zadarma": {"api_secret": "s"},
    "mango": {"api_key": "k", "api_salt": "s"},
    "twilio": {"auth_token": "t"},
}


def _toml(sections: dict[str, dict[str, Any]]) -> str:
    lines: list[str] = []
    for name, values in sections.items():
        lines.append(f"[connectors.{name}]")
        lines += [f"{key} = {value!r}".replace("'", '"') for key, value in values.items()]
    return "\n".join(lines) + "\n"


def _configured(tmp_path: Path) -> Any:
    path = tmp_path / "dozvon.toml"
    path.write_text(_toml({kind: {"type": kind, **SAMPLES[kind]} for kind in CONNECTORS}))
    return load_settings(path, connector_types=SETTINGS)


def test_every_type_is_its_models_type() -> None:
    assert set(SAMPLES) == set(CONNECTORS)
    for kind, spec in CONNECTORS.items():
        assert issubclass(spec.settings, ConnectorSection)
        assert get_args(spec.settings.model_fields["type"].annotation) == (kind,)
        assert SETTINGS[kind] is spec.settings
        assert spec.description and "\n" not in spec.description


def test_the_loader_reads_each_type_with_its_model(tmp_path: Path) -> None:
    settings = _configured(tmp_path)
    assert {name: type(section) for name, section in settings.connectors.items()} == {
        kind: spec.settings for kind, spec in CONNECTORS.items()
    }


def test_the_loader_names_the_known_types_and_the_keys(tmp_path: Path) -> None:
    path = tmp_path / "dozvon.toml"
    path.write_text(_toml({"pbx": {"type": "asterix"}}))
    with pytest.raises(ConfigError) as caught:
        load_settings(path, connector_types=SETTINGS)
    known = ", ".join(repr(kind) for kind in CONNECTORS)
    assert str(caught.value) == (
        f"connectors.pbx (in {path}): Input tag 'asterix' found using 'type' "
        f"does not match any of the expected tags: {known}"
    )
    path.write_text(_toml({"pbx": {"type": "zadarma", "api_secret": "s", "bogus": 1}}))
    with pytest.raises(ConfigError) as caught:
        load_settings(path, connector_types=SETTINGS)
    assert str(caught.value) == f"connectors.pbx.bogus (in {path}): unknown key"
    # Without the types (the database's migrations), a section is kept as written, unchecked.
    section = load_settings(path).connectors["pbx"]
    assert type(section) is ConnectorSection and section.type == "zadarma"
    assert "api_secret" not in repr(section)  # what it holds may be a secret


def test_every_type_has_endpoints_and_its_scheme(tmp_path: Path) -> None:
    assert list(ENDPOINTS) == list(CONNECTORS)
    settings = _configured(tmp_path)
    document = create_app(settings)[OPENAPI]
    schemes = document["components"]["securitySchemes"]
    for kind, spec in CONNECTORS.items():
        endpoints = [
            e for e in connector_endpoints(settings) if e.path.startswith(f"/api/v1/hooks/{kind}")
        ]
        assert endpoints, kind
        assert {e.auth for e in endpoints} <= {kind, "none"}
        signed = [e for e in endpoints if e.auth == kind]
        if spec.security is None:
            assert kind not in schemes  # documented as unsigned, as OpenAPI cannot say it
            continue
        assert schemes[kind] == dict(spec.security)
        assert signed, f"{kind}: no endpoint names its scheme"
        for endpoint in signed:
            operation = document["paths"][endpoint.path][endpoint.method.lower()]
            assert operation["security"] == [{kind: []}]


def test_a_section_not_read_by_its_model_is_refused_clearly() -> None:
    section = ConnectorSection(type="zadarma")
    settings = make_settings("sqlite+aiosqlite:///:memory:", connectors={"zd": section})
    with pytest.raises(TypeError, match=r"connectors\.zd"):
        connector_endpoints(settings)


def test_every_type_has_its_page_in_the_docs_index() -> None:
    index = (ROOT / "docs" / "connectors" / "README.md").read_text()
    for kind, spec in CONNECTORS.items():
        page = ROOT / spec.docs
        assert page.is_file(), spec.docs
        assert f"`{kind}`" in index and f"]({page.name})" in index, kind
