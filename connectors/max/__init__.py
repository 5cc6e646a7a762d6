"""The Max messenger connector."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict

from config.settings import ConnectorSection
from connectors.messaging import MessengerSpec


class MaxSettings(ConnectorSection):
    model_config = ConfigDict(extra="allow", frozen=True)

    type: Literal["max"]


def _missing(*args: Any) -> Any:
    raise NotImplementedError("max connector")


SPEC = MessengerSpec(
    settings=MaxSettings,
    verify=_missing,
    parse=_missing,
    client=_missing,
    docs="docs/messengers/max.md",
    description="Max",
)
