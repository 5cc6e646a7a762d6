"""An Asterisk PBX: ``[connectors.NAME]`` with ``type = "asterisk"``.

The ``originate_*`` keys shape click-to-call (AMI ``Originate``, ``originate.py``): the manager's
channel, the dialplan context that dials out, and how that dialplan wants the client's number.
The ``recording*`` keys say where MixMonitor's files are played from (``recording.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field, SecretStr, field_validator

from config.duration import Duration
from config.settings import ConnectorSection


class AsteriskSettings(ConnectorSection):
    """Asterisk over AMI (events) and the dialplan's CURL() or FastAGI (routing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["asterisk"]
    host: str = "127.0.0.1"
    port: int = Field(default=5038, ge=1, le=65535)
    username: str
    secret: SecretStr
    channel_prefix: str = "PJSIP/"
    route_key: SecretStr | None = None
    agi_port: int | None = Field(default=None, ge=1, le=65535)
    agi_host: str = "127.0.0.1"
    reconnect_max: Duration = timedelta(seconds=30)
    # Click-to-call: the manager's phone ({extension}); default channel_prefix + extension.
    originate_channel: str | None = None
    originate_context: str = "from-internal"
    # The client's number as the dialplan dials it: {e164} +79161234567, {digits} 79161234567,
    # {national} 9161234567 (so "8{national}" gives 89161234567).
    originate_exten: str = "{e164}"
    # What the manager's phone shows while it rings, in the same placeholders.
    originate_caller_id: str = "{e164}"
    originate_timeout: Duration = timedelta(seconds=30)
    # Recordings: MixMonitor names its file in the channel variable MIXMONITOR_FILENAME (AMI
    # VarSet events; the AMI user needs "read = dialplan"). Played from recordings_dir (the
    # PBX's monitor directory as this machine sees it), else redirected to
    # recording_url_template ({name}: the file's path below pbx_recordings_dir).
    recordings_dir: Path | None = None
    recording_url_template: str | None = None
    pbx_recordings_dir: str = "/var/spool/asterisk/monitor"

    def required_beyond_loopback(self) -> Mapping[str, str]:
        """The routing URL answers without a login: beyond loopback it must ask for the key."""
        if self.route_key is not None:
            return {}
        why = (
            "without it anyone who reaches the port may ask whose phone a number rings; "
            "set it and pass &key=... in the dialplan's CURL() routing URL"
        )
        return {"route_key": why}

    @property
    def records(self) -> bool:
        """Are recordings followed (and so the AMI events that name them asked for)?"""
        return self.recordings_dir is not None or self.recording_url_template is not None

    @field_validator("originate_exten", "originate_caller_id")
    @classmethod
    def _number_template(cls, value: str) -> str:
        try:
            value.format(e164="+70000000000", digits="70000000000", national="0000000000")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"{value!r}: only {{e164}}, {{digits}} and {{national}} may be used"
            ) from exc
        return value

    @field_validator("recording_url_template")
    @classmethod
    def _recording_template(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            value.format(name="2026/07/23/in-1.wav")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"{value!r}: only {{name}} may be used") from exc
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) link")
        return value

    @field_validator("originate_channel")
    @classmethod
    def _channel_template(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            value.format(extension="101")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"{value!r}: only {{extension}} may be used") from exc
        return value
