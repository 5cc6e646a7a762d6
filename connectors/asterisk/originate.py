"""Click-to-call on Asterisk: an AMI ``Originate`` that rings the manager, then dials the client.

``Channel`` is the manager's phone (``originate_channel``, ``PJSIP/{extension}`` by default);
once he answers, the dialplan runs at ``originate_context``/``originate_exten`` — the client's
number the way that dialplan dials outside numbers (``8{national}``, ``{e164}``...). The request's
mark (``hub.domain.originate``) becomes the channel's ``Uniqueid`` through ``ChannelId``: the first
channel's ``Uniqueid`` is the call's ``Linkedid``, which every AMI event of the call carries —
``Newchannel`` included, which is sent before ``Account`` or ``Variable`` could be applied. So
``parse.CallTracker`` reads the call as an outbound call by that manager to the client from its
very first event, whichever instance of the hub sent the action.
"""

from __future__ import annotations

import phonenumbers

from connectors.asterisk.client import AmiClient
from connectors.asterisk.settings import AsteriskSettings
from hub.domain.originate import OriginateFailed, OriginateRequest


def number_forms(e164: str) -> dict[str, str]:
    """The placeholders of ``originate_exten`` and ``originate_caller_id`` for one number."""
    parsed = phonenumbers.parse(e164)
    return {
        "e164": e164,
        "digits": e164.lstrip("+"),
        "national": phonenumbers.national_significant_number(parsed),
    }


def originate_action(config: AsteriskSettings, request: OriginateRequest) -> dict[str, str]:
    """The ``Originate`` action for one click-to-call (``ActionID`` is the client's to add)."""
    forms = number_forms(request.number)
    channel = config.originate_channel or config.channel_prefix + "{extension}"
    action = {
        "Action": "Originate",
        "Channel": channel.format(extension=request.extension),
        "Context": config.originate_context,
        "Exten": config.originate_exten.format(**forms),
        "Priority": "1",
        "CallerID": config.originate_caller_id.format(**forms),
        "Timeout": str(int(config.originate_timeout.total_seconds() * 1000)),
        "ChannelId": request.mark,
        "Async": "true",
    }
    for key, value in action.items():
        if "\r" in value or "\n" in value:
            raise OriginateFailed(f"the Originate field {key} would break the AMI message")
    return action


class AmiOriginate:
    """Click-to-call through one Asterisk's AMI connection."""

    def __init__(self, name: str, config: AsteriskSettings, client: AmiClient) -> None:
        self._name = name
        self._config = config
        self._client = client

    @property
    def name(self) -> str:
        return self._name

    async def originate(self, request: OriginateRequest) -> str | None:
        response = await self._client.send_action(originate_action(self._config, request))
        if response.get("Response") != "Success":
            reason = response.get("Message") or "no reason given"
            hint = " (the AMI user needs 'write = originate')" if "ermission" in reason else ""
            raise OriginateFailed(f"Asterisk refused Originate: {reason}{hint}")
        return request.mark
