"""The Vk messenger connector."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict

from config.settings import ConnectorSection
from connectors.messaging import MessengerSpec


class VkSettings(ConnectorSection):
    model_config = ConfigDict(extra="allow", frozen=True)

    type: Literal["vk"]


def _missing(*args: Any) -> Any:
    raise NotImplementedError("vk connector")


SPEC = MessengerSpec(
    settings=VkSettings,
    verify=_missing,
    parse=_missing,
    client=_missing,
    docs="docs/messengers/vk.md",
    description="Vk",
)
