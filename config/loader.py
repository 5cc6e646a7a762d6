"""Load the settings once: defaults, then the TOML file, then ``DOZVON_*`` environment variables.

Which model reads a ``[connectors.NAME]`` section is the caller's to say (``connector_types``,
the connectors' registry for the service): the configuration does not know the vendors. Each
section is then checked against its vendor's model by its ``type``, in the same pass as the rest,
so that every problem of the file and the environment is reported at once.
"""

from __future__ import annotations

import functools
import operator
import os
import tomllib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, create_model
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
)

from config.errors import ConfigError
from config.settings import SECTIONS, ConnectorSection, Settings

ConnectorTypes = Mapping[str, type[ConnectorSection]]

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


def _location(error: Any, types: Collection[str]) -> list[str]:
    """Where the error is, as the user wrote it: without the connector type pydantic adds."""
    parts = [str(part) for part in error["loc"]]
    if len(parts) > 3 and parts[0] == "connectors" and parts[2] in types:
        del parts[2]
    return parts


def _describe(error: Any, types: Collection[str]) -> str:
    parts = _location(error, types)
    loc = ".".join(parts)
    env = "DOZVON_" + "__".join(part.upper() for part in parts)
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    shown = error.get("input")
    if error["type"] != "extra_forbidden" and isinstance(shown, str | int | float | bool):
        message = f"{message} (got {shown!r})"
    return f"{loc} ({env}): {message}"


def _connectors_field(connector_types: ConnectorTypes) -> Any:
    """``Settings.connectors`` with each section read by its vendor's model, chosen by ``type``."""
    if not connector_types:
        raise ValueError("connector_types names no connector type")
    vendors: Any = functools.reduce(operator.or_, connector_types.values())
    return dict[str, Annotated[vendors, Field(discriminator="type")]], {}


def load_settings(
    path: str | Path | None = None, *, connector_types: ConnectorTypes | None = None
) -> Settings:
    """Build the settings; ``path`` (or ``$DOZVON_CONFIG``) names an optional TOML file.

    ``connector_types`` maps each connector ``type`` to the model that reads its sections (an
    unknown type is an error naming the known ones); without it, connector sections are kept
    as written, which is enough for what does not talk to PBXs (database migrations).

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

    model: type[Settings] = _FromFile
    if connector_types is not None:
        field = _connectors_field(connector_types)
        model = create_model(_FromFile.__name__, __base__=_FromFile, connectors=field)
    types = connector_types or {}
    try:
        return model()
    except ValidationError as exc:
        raise ConfigError("; ".join(_describe(err, types) for err in exc.errors())) from exc
