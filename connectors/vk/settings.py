"""A VK community: ``[messengers.NAME]`` with ``type = "vk"``.

The community's token sends (``messages.send``, uploads); ``group_id``, ``confirmation`` and
``secret`` are what the Callback API server settings of the community show: VK confirms the
address by asking for ``confirmation`` and puts ``secret`` into every event it posts.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import ConfigDict, Field, SecretStr

from config.duration import Duration
from config.settings import ConnectorSection


class VkSettings(ConnectorSection):
    """A VK community's messages through the Callback API."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["vk"]
    # Community management → API usage → Access tokens: messages, photos and documents rights.
    access_token: SecretStr = Field(min_length=1)
    group_id: int = Field(gt=0)
    # The string ``groups.getCallbackConfirmationCode`` gives (the Callback API page shows it);
    # it changes when the community's servers are edited.
    confirmation: str = Field(min_length=1)
    # The "secret key" of the Callback API server: every event but the confirmation carries it.
    secret: SecretStr = Field(min_length=1)
    api_base: str = "https://api.vk.com/method"
    api_version: str = "5.199"
    request_timeout: Duration = timedelta(seconds=15)


def vk_settings(section: ConnectorSection) -> VkSettings:
    """``section`` as the VK model it was read with (the registry hands every type its own)."""
    if not isinstance(section, VkSettings):
        raise TypeError(f"a VK connector was given a {type(section).__name__}")
    return section
