"""A WhatsApp Business number on Meta's Cloud API: ``[messengers.NAME]`` with
``type = "whatsapp"``.

``access_token`` and ``phone_number_id`` send; ``app_secret`` checks the signature of every
webhook post, ``verify_token`` answers the subscription check. ``template`` names the approved
message template that reopens a conversation past the 24-hour window (none: the hub cannot
write first).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import ConfigDict, Field, SecretStr

from config.duration import Duration
from config.settings import ConnectorSection


class WhatsAppSettings(ConnectorSection):
    """A WhatsApp Business phone number through the Cloud API."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["whatsapp"]
    # A system user's permanent token with whatsapp_business_messaging.
    access_token: SecretStr = Field(min_length=1)
    # The number's id in WhatsApp Manager (API Setup), not the phone number itself.
    phone_number_id: str = Field(pattern=r"^[0-9]{1,30}$")
    # The Meta app's secret (App settings → Basic): the key of X-Hub-Signature-256.
    app_secret: SecretStr = Field(min_length=1)
    # Any string of yours, typed again in the app's webhook settings.
    verify_token: SecretStr = Field(min_length=1)
    api_base: str = "https://graph.facebook.com/v21.0"
    template: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,512}$")
    template_language: str = Field(default="ru", pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")
    request_timeout: Duration = timedelta(seconds=15)


def whatsapp_settings(section: ConnectorSection) -> WhatsAppSettings:
    """``section`` as the WhatsApp model it was read with."""
    if not isinstance(section, WhatsAppSettings):
        raise TypeError(f"a WhatsApp connector was given a {type(section).__name__}")
    return section
