"""Load the settings once: defaults, then the TOML file, then ``DOZVON_*`` environment variables.

Which model reads a ``[connectors.NAME]`` section is the caller's to say (``connector_types``,
the connectors' registry for the service): the configuration does not know the vendors. Each
section is then checked against its vendor's model by its ``type``, in the same pass as the rest,
so that every problem of the file and the environment is reported at once.
"""

from __future__ import annotations

import difflib
import functools
import operator
import os
import tomllib
from collections.abc import Mapping
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
# The sections of named parts, each read by its type's model: PBXs and messengers.
GROUPS = ("connectors", "messengers")

CONFIG_ENV = "DOZVON_CONFIG"
# Keys whose values are not repeated in an error: secrets, and URLs that may carry a password.
HIDDEN = ("secret", "token", "password", "salt", "key", "url")


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
        close = difflib.get_close_matches(unknown[0], sorted(SECTIONS), n=1, cutoff=0.6)
        hint = f"did you mean [{close[0]}]? " if close else ""
        raise ConfigError(
            f"config file {path}: unknown section [{unknown[0]}]; "
            f"{hint}known: {', '.join(sorted(SECTIONS))}"
        )
    return data


def _location(error: Any, types: ConnectorTypes) -> list[str]:
    """Where the error is, as the user wrote it: without the connector type pydantic adds."""
    parts = [str(part) for part in error["loc"]]
    if len(parts) > 3 and parts[0] in GROUPS and parts[2] in types:
        del parts[2]
    return parts


def _written(parts: list[str], data: Mapping[str, Any]) -> bool:
    """Is the key at ``parts`` written in the file's ``data``?"""
    node: Any = data
    for part in parts:
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def _source(parts: list[str], data: Mapping[str, Any], path: Path | None) -> str:
    """Where the value came from, as the user would look for it: the environment variable that
    set it, the file it is written in, or (a key missing everywhere) the variable to set."""
    env = "DOZVON_" + "__".join(part.upper() for part in parts)
    found = sorted(n for n in os.environ if n.upper() == env or n.upper().startswith(env + "__"))
    if found:
        return "from " + ", ".join(found)
    if path is not None and _written(parts, data):
        return f"in {path}"
    return env


def _model_at(parts: list[str], data: Mapping[str, Any], types: ConnectorTypes) -> Any:
    """The model that reads the section holding the last of ``parts`` (None if unknown)."""
    if len(parts) == 3 and parts[0] in GROUPS:
        section = data.get(parts[0], {}).get(parts[1], {})
        kind = section.get("type") if isinstance(section, Mapping) else None
        return types.get(kind) if isinstance(kind, str) else None
    if len(parts) == 2:
        field = Settings.model_fields.get(parts[0])
        return field.annotation if field is not None else None
    return Settings if len(parts) == 1 else None


def _suggestion(parts: list[str], data: Mapping[str, Any], types: ConnectorTypes) -> str:
    """``did you mean http.port?`` for an unknown key close to a known one."""
    model = _model_at(parts, data, types)
    known = getattr(model, "model_fields", None)
    if not known:
        return ""
    close = difflib.get_close_matches(parts[-1], list(known), n=1, cutoff=0.6)
    return f"; did you mean {'.'.join([*parts[:-1], close[0]])}?" if close else ""


def _describe(error: Any, types: ConnectorTypes, data: Mapping[str, Any], path: Path | None) -> str:
    parts = _location(error, types)
    loc = ".".join(parts)
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key" + _suggestion(parts, data, types)
    shown = error.get("input")
    hidden = any(
        word in parts[-1] for word in ("secret", "token", "password", "salt", "key", "url")
    )
    if (
        not hidden
        and error["type"] != "extra_forbidden"
        and isinstance(shown, str | int | float | bool)
    ):
        message = f"{message} (got {shown!r})"
    return f"{loc} ({_source(parts, data, path)}): {message}"


def _exposed(settings: Settings) -> list[str]:
    """What a service reachable from the network must not go without: the keys a connector may
    leave out on 127.0.0.1 (Asterisk's ``route_key``), one line each, named as the others are."""
    exposed_by = settings.http.exposed_by
    if exposed_by is None:
        return []
    return [
        f"connectors.{name}.{key} (DOZVON_CONNECTORS__{name.upper()}__{key.upper()}): "
        f"required when {exposed_by}: {reason}"
        for name, section in settings.connectors.items()
        for key, reason in section.required_beyond_loopback().items()
    ]


def _connectors_field(connector_types: ConnectorTypes) -> Any:
    """``Settings.connectors`` (or ``messengers``) with each section read by its vendor's
    model, chosen by ``type``."""
    if not connector_types:
        raise ValueError("no connector type named")
    vendors: Any = functools.reduce(operator.or_, connector_types.values())
    return dict[str, Annotated[vendors, Field(discriminator="type")]], {}


def load_settings(
    path: str | Path | None = None,
    *,
    connector_types: ConnectorTypes | None = None,
    messenger_types: ConnectorTypes | None = None,
) -> Settings:
    """Build the settings; ``path`` (or ``$DOZVON_CONFIG``) names an optional TOML file.

    ``connector_types`` maps each connector ``type`` to the model that reads its sections (an
    unknown type is an error naming the known ones); without it, connector sections are kept
    as written, which is enough for what does not talk to PBXs (database migrations).
    ``messenger_types`` does the same for the ``[messengers.NAME]`` sections.

    Raises ConfigError with one line per problem, each naming the key and what is wrong.
    """
    chosen = path if path is not None else os.environ.get(CONFIG_ENV) or None
    file = Path(chosen) if chosen else None
    data = _read_toml(file) if file is not None else {}

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
    fields: dict[str, Any] = {}
    if connector_types is not None:
        fields["connectors"] = _connectors_field(connector_types)
    if messenger_types is not None:
        fields["messengers"] = _connectors_field(messenger_types)
    if fields:
        model = create_model(_FromFile.__name__, __base__=_FromFile, **fields)
    types = {**(connector_types or {}), **(messenger_types or {})}
    try:
        settings = model()
    except ValidationError as exc:
        problems = [_describe(err, types, data, file) for err in exc.errors()]
        raise ConfigError("; ".join(problems)) from exc
    exposed = _exposed(settings)
    if exposed:
        raise ConfigError("; ".join(exposed))
    return settings
