"""Click-to-call ("Позвонить"): what the hub asks a PBX for, and what a PBX line must offer.

The PBX rings the manager's own phone first and, once he answers, dials the client. Every vendor
does it its own way (Asterisk's AMI ``Originate``, Zadarma's ``request/callback``, Mango's
``commands/callback``, Twilio's Calls resource); each connector offers an :class:`OriginateLine`
and the use case (``hub/services/originate.py``) picks one. The call that follows is reported by
the PBX like any other and is read as an outbound call by that manager to the client — the
connectors recognise it by the mark they put on the request (see :func:`originate_mark`).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Protocol

from hub.domain.errors import DozvonError

_EXTENSION = r"[A-Za-z0-9]{1,20}"
_MARK = re.compile(rf"^dz-({_EXTENSION})-([0-9]{{6,15}})-[0-9a-f]{{1,16}}$")


def markable(extension: str) -> bool:
    """Can a request for this extension carry a mark the connectors read back? (Latin letters
    and digits, at most 20: what every PBX's extension is.)"""
    return re.fullmatch(_EXTENSION, extension) is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class OriginateRequest:
    """Ring ``extension`` (the manager), then dial ``number`` (the client, E.164).

    ``mobile`` is the manager's mobile in E.164, for a PBX that rings phones outside it;
    ``mark`` is the request's own id, put where the PBX repeats it in the call's events."""

    extension: str
    number: str
    mobile: str | None
    mark: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Originated:
    """A click-to-call the PBX accepted: through which connector, for whom, to which number
    (E.164), and the PBX's id of the request when it gives one."""

    connector: str
    manager_id: int
    number: str
    request_id: str | None


class OriginateFailed(DozvonError):
    """The PBX refused the request or could not be reached (the use case says 503)."""

    status = 503
    code = "unavailable"


class OriginateLine(Protocol):
    """One PBX connector able to place a click-to-call."""

    @property
    def name(self) -> str: ...

    async def originate(self, request: OriginateRequest) -> str | None:
        """Ask the PBX to place the call; the PBX's request id (or None). Raises
        :class:`OriginateFailed` with what went wrong."""
        ...


def originate_mark(extension: str, number: str) -> str:
    """The id of one click-to-call: ``dz-<extension>-<client digits>-<nonce>``.

    It names the manager and the client, so a connector that sees it again in the call's
    events (Asterisk's ``Linkedid``, Mango's ``command_id``) knows whose call it is without
    any memory of the request — whichever instance of the hub sent it."""
    return f"dz-{extension}-{number.lstrip('+')}-{secrets.token_hex(4)}"


def read_mark(text: str | None) -> tuple[str, str] | None:
    """(extension, client number in E.164) of a mark made by :func:`originate_mark`; else None."""
    found = _MARK.match(text or "")
    if found is None:
        return None
    return found.group(1), f"+{found.group(2)}"
