"""The Telegram messenger connector."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict

from config.settings import ConnectorSection
from connectors.messaging import MessengerSpec


class TelegramSettings(ConnectorSection):
    model_config = ConfigDict(extra="allow", frozen=True)

    type: Literal["telegram"]


def _missing(*args: Any) -> Any:
    raise NotImplementedError("telegram connector")


SPEC = MessengerSpec(
    settings=TelegramSettings,
    verify=_missing,
    parse=_missing,
    client=_missing,
    docs="docs/messengers/telegram.md",
    description="Telegram",
)
