"""Load the settings once: defaults, then the TOML file, then ``DOZVON_*`` environment variables."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
)

from config.errors import ConfigError
from config.settings import SECTIONS, Settings

CONNECTOR_TYPES = frozenset({"asterisk", "zadarma", "mango", "twilio"})

CONFIG_ENV = "DOZVON_CONFIG"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - SECTIONS)
    if unknown:
        raise ConfigError(
            f"config file {path}: unknown section [{unknown[0]}]; "
            f"known: {', '.join(sorted(SECTIONS))}"
        )
    return data


def _location(error: Any) -> list[str]:
    """Where the error is, as the user wrote it: without the connector type pydantic adds."""
    parts = [str(part) for part in error["loc"]]
    if len(parts) > 3 and parts[0] == "connectors" and parts[2] in CONNECTOR_TYPES:
        del parts[2]
    return parts


def _describe(error: Any) -> str:
    parts = _location(error)
    loc = ".".join(parts)
    env = "DOZVON_" + "__".join(part.upper() for part in parts)
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    shown = error.get("input")
    if error["type"] != "extra_forbidden" and isinstance(shown, str | int | float | bool):
        message = f"{message} (got {shown!r})"
    return f"{loc} ({env}): {message}"


def load_settings(path: str | Path | None = None) -> Settings:
    """Build the settings; ``path`` (or ``$DOZVON_CONFIG``) names an optional TOML file.

    Raises ConfigError with one line per problem, each naming the key and what is wrong.
    """
    chosen = path if path is not None else os.environ.get(CONFIG_ENV) or None
    data = _read_toml(Path(chosen)) if chosen else {}

    class _FromFile(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return (init_settings, env_settings, InitSettingsSource(settings_cls, data))

    try:
        return _FromFile()
    except ValidationError as exc:
        raise ConfigError("; ".join(_describe(err) for err in exc.errors())) from exc
