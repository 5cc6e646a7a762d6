"""A person's reply to a client: checked, stored as an outbound message (sent later by the
client sender, with retries), and the wait for an answer ends — returning the message case.

The reply goes where the client wrote (the conversation's channel). WhatsApp's 24-hour window
is checked before anything is stored: past it a free-form reply is refused
(:class:`~hub.domain.conversations.WindowClosed`), and the person may send the channel's
template instead (``template=True``), which is stored and sent like a reply.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime

from connectors.messaging import OutgoingFile
from hub.domain.cases import CaseEvent, CaseFact, CaseStatus, move
from hub.domain.conversations import WindowClosed, window_open
from hub.domain.errors import InvalidInput, NotFound
from hub.domain.facts import Fact, RepliesQueued
from hub.services.facts import FactHandlers
from storage.db import SessionFactory
from storage.models import CallbackCase, Conversation, ConversationMessage, Manager
from storage.uow import UnitOfWork

# Longer texts are refused rather than cut (MAX's limit; Telegram's is 4096).
MAX_TEXT = 4000
# An outbound message asking the client's phone, or the template, is marked in attachments.
ASK_PHONE = "ask_phone"
TEMPLATE = "template"


async def reply_in(
    uow: UnitOfWork,
    conversation_id: int,
    text: str,
    *,
    by: Manager | None,
    now: datetime,
    channel_types: Mapping[str, str],
    template: bool = False,
    file: OutgoingFile | None = None,
) -> tuple[ConversationMessage, list[CaseFact]]:
    """Queue a reply in ``uow`` (the caller commits and wakes the client sender): a text, the
    channel's template, or a file (``text`` its caption)."""
    conversation = await uow.conversations.get(conversation_id)
    if conversation is None:
        raise NotFound(f"conversation {conversation_id} does not exist")
    body = (text or "").strip()
    if not template and not body and file is None:
        raise InvalidInput("text is empty", field="text")
    if len(body) > MAX_TEXT:
        raise InvalidInput(f"text is longer than {MAX_TEXT} characters", field="text")
    kind = channel_types.get(conversation.channel, "")
    if not template and not window_open(kind, conversation.last_in_at, now):
        raise WindowClosed(
            "the client last wrote more than 24 hours ago: WhatsApp takes only a template "
            "now (send it with template=true)",
            field="text",
        )
    message = ConversationMessage(
        conversation_id=conversation.id,
        channel=conversation.channel,
        direction="out",
        text=body,
        attachments=[{"kind": TEMPLATE}] if template else _file(file),
        at=now,
        manager_id=by.id if by is not None else None,
        status="pending",
        attempts=0,
        next_attempt_at=now,
    )
    uow.conversations.add(message)
    conversation.last_message_at = max(conversation.last_message_at, now)
    facts = await answered(uow, conversation, by=by, now=now)
    await uow.flush()
    return message, facts


def _file(file: OutgoingFile | None) -> list[dict[str, object]]:
    """A file to send, as the message keeps it until it is sent (its content then dropped)."""
    if file is None:
        return []
    content = base64.b64encode(file.content).decode()
    return [
        {"kind": file.kind, "name": file.filename, "size": len(file.content), "content": content}
    ]


async def answered(
    uow: UnitOfWork, conversation: Conversation, *, by: Manager | None, now: datetime
) -> list[CaseFact]:
    """The client got an answer: the wait ends, and his message case (if one is open) is
    returned by ``by``."""
    conversation.awaiting_since = None
    conversation.reply_due_at = None
    if by is not None and conversation.manager_id is None:
        conversation.manager_id = by.id
    cases = await uow.cases.active_messages(conversation.id, conversation.client_id)
    by_id = by.id if by is not None else None
    return [returned(c, by_id=by_id, at=now, ref=f"reply:{conversation.id}") for c in cases]


def returned(case: CallbackCase, *, by_id: int | None, at: datetime, ref: str) -> CaseFact:
    case.status = move(case.status, CaseStatus.RETURNED, case.id)
    case.returned_at = at
    case.returned_by = by_id
    case.returned_call = ref
    case.escalate_at = None
    return CaseFact(CaseEvent.RETURNED, case)


async def send_reply(
    factory: SessionFactory,
    handlers: FactHandlers,
    conversation_id: int,
    text: str,
    *,
    by: Manager | None,
    now: datetime,
    channel_types: Mapping[str, str],
    template: bool = False,
    file: OutgoingFile | None = None,
) -> ConversationMessage:
    """The one use case "a person answers a client", for the API, the console and the staff
    bot: the reply is queued, the client's message case returns (its alerts edited), the
    change commits, and the client sender wakes."""
    async with UnitOfWork(factory) as uow:
        message, returned_cases = await reply_in(
            uow,
            conversation_id,
            text,
            by=by,
            now=now,
            channel_types=channel_types,
            template=template,
            file=file,
        )
        facts: list[Fact] = [*returned_cases, RepliesQueued(1)]
        await handlers.within(uow, facts)
        await uow.commit()
    handlers.committed(facts)
    return message
