"""Settings: defaults, file, environment overrides and one-line errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel

from config import ConfigError, load_settings
from config.duration import parse_duration
from connectors.messengers import MESSENGER_SETTINGS
from connectors.registry import SETTINGS
from connectors.zadarma import ZadarmaSettings


def test_defaults_without_any_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOZVON_CONFIG", raising=False)
    settings = load_settings()
    assert (settings.http.host, settings.http.port) == ("127.0.0.1", 8080)
    assert settings.database.url == "sqlite+aiosqlite:///./var/dozvon.db"
    assert settings.phone.default_region == "RU"
    assert settings.admin.token is None


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "dozvon.toml"
    path.write_text('[http]\nport = 9000\nhost = "0.0.0.0"\n[phone]\ndefault_region = "KZ"\n')
    monkeypatch.setenv("DOZVON_HTTP__PORT", "8081")
    monkeypatch.setenv("DOZVON_ADMIN__TOKEN", "secret-token")
    monkeypatch.setenv("DOZVON_ROUTING__STICKY_WINDOW", "7d")
    settings = load_settings(path)
    assert settings.http.port == 8081
    assert settings.http.host == "0.0.0.0"
    assert settings.phone.default_region == "KZ"
    assert settings.admin.token is not None
    assert settings.admin.token.get_secret_value() == "secret-token"
    assert "secret-token" not in repr(settings)
    assert settings.routing.sticky_window == timedelta(days=7)


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[http]\nport = 9100\n")
    monkeypatch.setenv("DOZVON_CONFIG", str(path))
    assert load_settings().http.port == 9100


@pytest.mark.parametrize(
    ("env", "value", "fragment"),
    [
        ("DOZVON_HTTP__PORT", "eighty", "http.port (from DOZVON_HTTP__PORT)"),
        ("DOZVON_HTTP__PORT", "70000", "http.port"),
        ("DOZVON_PHONE__DEFAULT_REGION", "XX", "phone.default_region"),
        ("DOZVON_DATABASE__URL", "mysql://x", "database.url"),
        ("DOZVON_DATABASE__POOL_RECYCLE", "10s", "database.pool_recycle"),
        ("DOZVON_HOOKS__SIGNATURE_WINDOW", "soon", "hooks.signature_window"),
        ("DOZVON_COMPANY__TIMEZONE", "Mars/Base", "company.timezone"),
        ("DOZVON_LOG__FORMAT", "xml", "log.format"),
        ("DOZVON_TELEGRAM__MODE", "webhook", "telegram"),
        ("DOZVON_TELEGRAM__WEBHOOK_SECRET", "has spaces", "telegram.webhook_secret"),
        ("DOZVON_TELEGRAM__INVITE_TTL", "a week", "telegram.invite_ttl"),
    ],
)
def test_wrong_values_name_the_key(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert fragment in message
    assert f"from {env})" in message
    assert "\n" not in message


def test_a_wrong_key_says_where_it_was_written_and_what_was_meant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[connectors.mg]\ntype = "mango"\napi_key = "k"\napi_salt = "s"\nroute_call = true\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path, connector_types=SETTINGS)
    assert str(caught.value) == (
        f"connectors.mg.route_call (in {path}): unknown key; "
        "did you mean connectors.mg.route_calls?"
    )
    monkeypatch.setenv("DOZVON_HTTP__PROT", "8080")
    path.write_text("")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value) == (
        "http.prot (from DOZVON_HTTP__PROT): unknown key; did you mean http.port?"
    )


@pytest.mark.parametrize(
    ("url", "advice"),
    [
        (
            "postgres://dozvon:hunter2@db:5432/dozvon",
            "write it postgresql+asyncpg://dozvon:…@db:5432/dozvon",
        ),
        ("postgresql://db/dozvon", "write it postgresql+asyncpg://db/dozvon"),
        ("sqlite:///./var/x.db", "write it sqlite+aiosqlite:///./var/x.db"),
    ],
)
def test_a_database_url_in_another_form_gets_the_accepted_one_without_its_password(
    monkeypatch: pytest.MonkeyPatch, url: str, advice: str
) -> None:
    monkeypatch.setenv("DOZVON_DATABASE__URL", url)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == f"database.url (from DOZVON_DATABASE__URL): {advice}"
    assert "hunter2" not in str(caught.value)


def test_unknown_keys_and_sections_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[http]\nprot = 1\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value) == f"http.prot (in {path}): unknown key; did you mean http.port?"
    path.write_text("[htp]\nport = 1\n")
    with pytest.raises(ConfigError, match=r"unknown section \[htp\]; did you mean \[http\]\?"):
        load_settings(path)
    path.write_text("[http\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(path)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


def test_example_config_is_valid_and_complete() -> None:
    example = Path(__file__).parents[2] / "config" / "dozvon.example.toml"
    settings = load_settings(example, connector_types=SETTINGS, messenger_types=MESSENGER_SETTINGS)
    text = example.read_text()
    models: list[tuple[str, type[BaseModel]]] = [
        (section, type(model)) for section, model in settings if isinstance(model, BaseModel)
    ]
    models += [(f"connectors.<{kind}>", model) for kind, model in SETTINGS.items()]
    models += [(f"messengers.<{kind}>", model) for kind, model in MESSENGER_SETTINGS.items()]
    for section, model in models:
        for key, field in model.model_fields.items():
            nested = field.annotation
            if isinstance(nested, type) and issubclass(nested, BaseModel):
                assert f"[{section}.{key}]" in text, f"[{section}.{key}] is undocumented"
                models.append((f"{section}.{key}", nested))
                continue
            assert f"{key} =" in text or f"# {key} =" in text, f"{section}.{key} is undocumented"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("24h", 86400),
        ("90m", 5400),
        ("3s", 3),
        ("1h30m", 5400),
        ("250ms", 0.25),
        ("2d", 172800),
        ("15", 15),
        (30, 30),
    ],
)
def test_durations(text: str | int, seconds: float) -> None:
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "h", "3x", "-5", "1h-", "soon", True])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_connectors_from_the_file_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[connectors.zd]\ntype = "zadarma"\n[connectors.zd_msk]\ntype = "zadarma"\n')
    monkeypatch.setenv("DOZVON_CONNECTORS__ZD__API_SECRET", "from-env")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, connector_types=SETTINGS)
    # The missing secret of the second account is named as the user would set it.
    assert str(caught.value) == (
        "connectors.zd_msk.api_secret (DOZVON_CONNECTORS__ZD_MSK__API_SECRET): Field required"
    )
    monkeypatch.setenv("DOZVON_CONNECTORS__ZD_MSK__API_SECRET", "other")
    settings = load_settings(path, connector_types=SETTINGS)
    secrets = {
        name: c.api_secret.get_secret_value()
        for name, c in settings.connectors.items()
        if isinstance(c, ZadarmaSettings)
    }
    assert secrets == {"zd": "from-env", "zd_msk": "other"}
    monkeypatch.delenv("DOZVON_CONNECTORS__ZD__API_SECRET")
    monkeypatch.delenv("DOZVON_CONNECTORS__ZD_MSK__API_SECRET")
    path.write_text('[connectors.generic]\ntype = "zadarma"\napi_secret = "x"\n')
    with pytest.raises(ConfigError, match="connector name 'generic'"):
        load_settings(path, connector_types=SETTINGS)


def test_files_beside_the_sqlite_database() -> None:
    from pathlib import Path

    from config.settings import DatabaseSettings

    local = DatabaseSettings(url="sqlite+aiosqlite:///./var/dozvon.db")
    assert local.beside(".backlog.jsonl") == Path("var/dozvon.backlog.jsonl")
    absolute = DatabaseSettings(url="sqlite+aiosqlite:////srv/dozvon/main.db")
    assert absolute.beside(".backlog.jsonl") == Path("/srv/dozvon/main.backlog.jsonl")
    assert DatabaseSettings(url="sqlite+aiosqlite:///:memory:").beside(".x") is None
    assert DatabaseSettings(url="postgresql+asyncpg://u:p@h/db").beside(".x") is None
