"""The WhatsApp messenger connector."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict

from config.settings import ConnectorSection
from connectors.messaging import MessengerSpec


class WhatsAppSettings(ConnectorSection):
    model_config = ConfigDict(extra="allow", frozen=True)

    type: Literal["whatsapp"]


def _missing(*args: Any) -> Any:
    raise NotImplementedError("whatsapp connector")


SPEC = MessengerSpec(
    settings=WhatsAppSettings,
    verify=_missing,
    parse=_missing,
    client=_missing,
    docs="docs/messengers/whatsapp.md",
    description="WhatsApp",
)
