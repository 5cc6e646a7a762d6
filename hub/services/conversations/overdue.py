"""The sweep that opens a case for a client's message nobody answered in time.

A conversation waiting past ``reply_due_at`` is claimed once (its due time cleared in the same
UPDATE), and a case of kind ``message`` opens for it — unless the client has an active case
already (one per client, whether he called or wrote). The case is the same as a missed call's:
the responsible person and his supervisor are told at once, and past ``escalation.after`` from
the first unanswered message the supervisors and the directors; a reply, or an answered call
with the client, returns it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from hub.domain.cases import CaseEvent, CaseFact, CaseStatus
from hub.domain.conversations import pseudo_number
from hub.domain.deadlines import EscalationPolicy, escalation_deadline
from hub.services.conversations.intake import IntakePolicy, responsible
from hub.services.facts import FactHandlers
from storage.db import SessionFactory
from storage.models import CallbackCase, Conversation
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
BATCH = 200


async def open_overdue(
    factory: SessionFactory,
    handlers: FactHandlers,
    policy: IntakePolicy,
    escalation: EscalationPolicy,
    now: datetime,
) -> int:
    """Open message cases for every conversation overdue at ``now``; returns how many."""
    total = 0
    while True:
        async with UnitOfWork(factory) as uow:
            due = await uow.conversations.claim_overdue(now, BATCH)
            if not due:
                break
            facts = [
                fact
                for conversation in due
                if (fact := await _open(uow, conversation, policy, escalation, now)) is not None
            ]
            await uow.flush()
            await handlers.within(uow, facts)
            await uow.commit()
        handlers.committed(facts)
        total += len(facts)
    if total:
        log.info("opened %d case(s) for unanswered messages", total)
    return total


async def _open(
    uow: UnitOfWork,
    conversation: Conversation,
    policy: IntakePolicy,
    escalation: EscalationPolicy,
    now: datetime,
) -> CaseFact | None:
    since = conversation.awaiting_since
    if since is None:
        return None
    number = conversation.phone
    if conversation.client_id is not None:
        if await uow.cases.active_of_client(conversation.client_id) is not None:
            return None
        phones = await uow.clients.phones(conversation.client_id)
        number = phones[0] if phones else number
    number = number or pseudo_number(conversation.channel, conversation.contact)
    if await uow.cases.active_for({number}, lock=True):
        return None
    chosen = await responsible(uow, conversation, policy, now)
    case = CallbackCase(
        number=number,
        kind="message",
        conversation_id=conversation.id,
        client_id=conversation.client_id,
        manager_id=chosen.manager_id,
        responsible_reason=chosen.reason,
        told=list(chosen.told),
        status=CaseStatus.OPEN,
        missed_count=1,
        first_missed_at=since,
        last_missed_at=since,
        escalate_at=escalation_deadline(since, escalation, policy.calendar()),
    )
    uow.cases.add(case)
    return CaseFact(CaseEvent.OPENED, case)
