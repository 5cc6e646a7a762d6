"""Click-to-call ("Позвонить"): one tap rings the manager's phone, then the client's.

:class:`Originator` is the one use case the API, the staff bot and the alerts' button call:
``available`` says whether any PBX connector can place such a call, ``originate`` places one.
The number is read as every number is (E.164 with the configured region); a withheld, internal
or invalid one is refused naming the problem. The manager must have an extension — it is how the
PBX rings him and how the call that follows is recognised as his. The request goes to the first
connector that can originate; what the PBX says wrong is a 503 naming the connector. An accepted
request is audited (who asked, for which manager and number, through which connector).

The call itself is not stored here: the PBX reports it like any other, marked so that each
connector reads it as an outbound call by that manager to the client (``hub/domain/originate.py``)
— which returns the client's open callback case when the client answers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict

from hub.domain.errors import InvalidInput, Unavailable
from hub.domain.originate import (
    Originated,
    OriginateFailed,
    OriginateLine,
    OriginateRequest,
    markable,
    originate_mark,
)
from hub.domain.phone import Normalizer, PhoneKind
from storage.db import SessionFactory
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

_REFUSED = {
    PhoneKind.WITHHELD: "is empty or a withheld number",
    PhoneKind.INTERNAL: "is an internal extension, not a client's number",
    PhoneKind.INVALID: "is not a valid phone number",
}


class Originator:
    """Places click-to-calls through the PBX connectors able to (``lines``, in order)."""

    def __init__(
        self, factory: SessionFactory, normalize: Normalizer, lines: Sequence[OriginateLine]
    ) -> None:
        self._factory = factory
        self._normalize = normalize
        self._lines = list(lines)

    @property
    def available(self) -> bool:
        """Can any configured PBX place a click-to-call?"""
        return bool(self._lines)

    async def originate(self, manager_id: int, number: str, *, actor: str) -> Originated:
        """Ask the PBX to ring manager ``manager_id``, then ``number``. InvalidInput for a number
        that is not a client's, no such manager or a manager without an extension,
        Unavailable when no PBX can or the PBX refuses."""
        client = self._normalize(number)
        if client.kind is not PhoneKind.E164:
            raise InvalidInput(f"number {number!r} {_REFUSED[client.kind]}", field="number")
        async with UnitOfWork(self._factory, read_only=True) as uow:
            manager = await uow.managers.get(manager_id)
            if manager is None:
                raise InvalidInput(f"manager {manager_id} does not exist", field="manager_id")
            extension, mobile, name = manager.extension, manager.mobile, manager.name
        if not extension:
            raise InvalidInput(
                f"manager {manager_id} ({name}) has no extension: the PBX cannot ring him",
                field="manager_id",
            )
        if not markable(extension):
            raise InvalidInput(
                f"manager {manager_id}'s extension {extension!r} is not one a PBX can ring",
                field="manager_id",
            )
        if not self._lines:
            raise Unavailable("no PBX connector is set up for click-to-call")
        line = self._lines[0]
        request = OriginateRequest(
            extension=extension,
            number=client.value,
            mobile=mobile,
            mark=originate_mark(extension, client.value),
        )
        try:
            request_id = await line.originate(request)
        except OriginateFailed as exc:
            log.warning("%s: click-to-call for manager %d failed: %s", line.name, manager_id, exc)
            raise Unavailable(f"{line.name}: {exc.message}") from exc
        result = Originated(
            connector=line.name, manager_id=manager_id, number=client.value, request_id=request_id
        )
        async with UnitOfWork(self._factory) as uow:
            uow.audit.record(
                actor=actor,
                action="originate",
                entity="call",
                entity_id=request_id or client.value,
                before=None,
                after=asdict(result),
            )
            await uow.commit()
        return result
