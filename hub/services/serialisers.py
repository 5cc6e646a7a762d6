"""Plain-dict views of stored rows: what the API returns and what the audit log keeps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from hub.domain.calls import is_missed
from hub.domain.people import invite_link
from hub.domain.recordings import recording_path
from notifications.rows import ORDER, order
from storage.models import (
    Absence,
    ApiToken,
    AuditEntry,
    Call,
    CallbackCase,
    Client,
    Conversation,
    ConversationMessage,
    Invite,
    ListEntry,
    Manager,
    NumberList,
    OutboxMessage,
    Sale,
    UnknownNumber,
)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def manager_view(manager: Manager) -> dict[str, Any]:
    """A person; ``channels``: the staff channels he is told through, in the order tried (his
    own, else the company's); ``unreachable``: those found not to reach him (Telegram's own
    mark included), skipped until their address changes."""
    found = {"telegram"} if manager.chat_unreachable else set()
    found |= set(manager.unreachable or [])
    return {
        "id": manager.id,
        "name": manager.name,
        "role": manager.role,
        "extension": manager.extension,
        "mobile": manager.mobile,
        "telegram_chat_id": manager.telegram_chat_id,
        "supervisor_id": manager.supervisor_id,
        "active": manager.active,
        "timezone": manager.timezone,
        "working_hours": manager.working_hours,
        "login": manager.login,
        "email": manager.email,
        "max_user_id": manager.max_user_id,
        "channels": order(manager),
        "unreachable": [c for c in ORDER if c in found] + sorted(found - set(ORDER)),
    }


def absence_view(absence: Absence) -> dict[str, Any]:
    return {
        "id": absence.id,
        "manager_id": absence.manager_id,
        "starts_at": iso(absence.starts_at),
        "ends_at": iso(absence.ends_at),
        "substitute_id": absence.substitute_id,
        "note": absence.note,
    }


def client_card(
    *,
    id: int | None,
    name: str,
    manager_id: int | None,
    status: str,
    notes: str,
    phones: Iterable[str],
    status_set_by_hand_at: datetime | None = None,
    extensions: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A client card as the API shows it and the audit log keeps it. A status set by hand
    stands until a newer sale; ``status_set_by_hand_at`` says since when. ``phones`` are E.164;
    ``extensions`` maps those that have one to the extension dialled after it answers."""
    numbers = sorted(phones)
    return {
        "id": id,
        "name": name,
        "manager_id": manager_id,
        "status": str(status),
        "status_set_by_hand": status_set_by_hand_at is not None,
        "status_set_by_hand_at": iso(status_set_by_hand_at),
        "notes": notes,
        "phones": numbers,
        "extensions": {n: extensions[n] for n in numbers if extensions and extensions.get(n)},
    }


def client_view(
    client: Client, phones: list[str], extensions: Mapping[str, str] | None = None
) -> dict[str, Any]:
    return client_card(
        id=client.id,
        name=client.name,
        manager_id=client.manager_id,
        status=client.status,
        notes=client.notes,
        phones=phones,
        status_set_by_hand_at=client.status_set_by_hand_at,
        extensions=extensions,
    )


def sale_view(sale: Sale) -> dict[str, Any]:
    return {
        "id": sale.id,
        "client_id": sale.client_id,
        "date": sale.sold_on.isoformat(),
        "amount": f"{sale.amount:.2f}",
        "source": sale.source,
        "created_at": iso(sale.created_at),
        "created_by": sale.created_by,
    }


def list_view(number_list: NumberList, entries: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": number_list.id,
        "slug": number_list.slug,
        "title": number_list.title,
        "action": number_list.action,
        "target_extension": number_list.target_extension,
        "target_manager_id": number_list.target_manager_id,
        "opens_cases": number_list.opens_cases,
        "builtin": number_list.builtin,
    }
    if entries is not None:
        body["entries"] = entries
    return body


def entry_view(entry: ListEntry, slug: str) -> dict[str, Any]:
    return {
        "id": entry.id,
        "list": slug,
        "number": entry.number,
        "note": entry.note,
        "created_at": iso(entry.created_at),
    }


def unknown_view(
    entry: UnknownNumber, *, now: datetime | None = None, recorded_call: int | None = None
) -> dict[str, Any]:
    """A number in the triage queue; given ``now``, with its age in whole days; given
    ``recorded_call`` (its latest call with a recording), with the link that plays it."""
    return {
        "id": entry.id,
        "number": entry.number,
        "status": entry.status,
        "calls": entry.calls,
        "first_seen": iso(entry.first_seen),
        "last_seen": iso(entry.last_seen),
        "age_days": (now - entry.first_seen).days if now is not None else None,
        "manager_id": entry.manager_id,
        "manager_ids": list(entry.manager_ids or []),
        "recording_urls": list(entry.recording_urls or []),
        "recording": recording_path(recorded_call),
        "last_manager_id": entry.last_manager_id,
        "resolution": entry.resolution,
        "resolved_at": iso(entry.resolved_at),
        "resolved_by": entry.resolved_by,
    }


def call_view(call: Call) -> dict[str, Any]:
    return {
        "id": call.id,
        "call_id": call.vendor_call_id,
        "connector": call.connector,
        "direction": call.direction,
        "status": call.status,
        "outcome": call.outcome,
        "missed": is_missed(call.direction, call.outcome),
        "from": call.caller,
        "from_kind": call.caller_kind,
        "to": call.callee,
        "to_kind": call.callee_kind,
        "number": call.external_number,
        "client_id": call.client_id,
        "manager_id": call.manager_id,
        "extension": call.extension,
        "started_at": iso(call.started_at),
        "answered_at": iso(call.answered_at),
        "ended_at": iso(call.ended_at),
        "recording_url": call.recording_url,
        "recording": recording_path(call.id if call.recording_url else None),
        "route": call.route,
    }


def audit_view(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": iso(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
    }


def case_view(case: CallbackCase) -> dict[str, Any]:
    return {
        "id": case.id,
        "kind": case.kind or "call",
        "number": case.number,
        "conversation_id": case.conversation_id,
        "client_id": case.client_id,
        "manager_id": case.manager_id,
        "responsible_reason": case.responsible_reason,
        "told": list(case.told or []),
        "status": case.status,
        "missed_count": case.missed_count,
        "first_missed_at": iso(case.first_missed_at),
        "last_missed_at": iso(case.last_missed_at),
        "escalate_at": iso(case.escalate_at),
        "escalated_at": iso(case.escalated_at),
        "returned_at": iso(case.returned_at),
        "returned_by": case.returned_by,
        "returned_call": case.returned_call,
        "closed_at": iso(case.closed_at),
        "closed_by": case.closed_by,
        "close_reason": case.close_reason,
    }


def outbox_view(message: OutboxMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "kind": message.kind,
        "channel": message.channel,
        "chat_id": message.chat_id,
        "manager_id": message.manager_id,
        "status": message.status,
        "attempts": message.attempts,
        "created_at": iso(message.created_at),
        "next_attempt_at": iso(message.next_attempt_at),
        "sent_at": iso(message.sent_at),
        "last_error": message.last_error,
        "text": message.text,
        "buttons": message.buttons,
    }


def version_view(number: int, entry: AuditEntry) -> dict[str, Any]:
    """One version of a client card: its number (1 for the first) and how the card was then."""
    return {
        "version": number,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "card": entry.after,
    }


def token_view(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "role": token.role,
        "created_at": iso(token.created_at),
        "created_by": token.created_by,
        "revoked_at": iso(token.revoked_at),
        "manager_id": token.manager_id,
    }


def invite_view(invite: Invite, code: str, bot_username: str) -> dict[str, Any]:
    return {
        "manager_id": invite.manager_id,
        "link": invite_link(bot_username, code),
        "code": code,
        "expires_at": iso(invite.expires_at),
    }


def conversation_view(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "client_id": conversation.client_id,
        "channel": conversation.channel,
        "contact": conversation.contact,
        "name": conversation.name,
        "phone": conversation.phone,
        "manager_id": conversation.manager_id,
        "last_message_at": iso(conversation.last_message_at),
        "awaiting_reply": conversation.awaiting_since is not None,
        "awaiting_since": iso(conversation.awaiting_since),
    }


# Delivery states that mean the client has the message (a channel without receipts says no
# more than "sent").
DELIVERED = frozenset({"sent", "delivered", "read"})


def message_view(message: ConversationMessage) -> dict[str, Any]:
    outbound = message.direction == "out"
    return {
        "id": message.id,
        "direction": message.direction,
        "text": message.text,
        # What was sent, without the channel's reference or a file's content still queued.
        "attachments": [
            {k: v for k, v in dict(a).items() if k not in ("ref", "content")}
            for a in message.attachments or []
        ],
        "at": iso(message.at),
        "manager_id": message.manager_id,
        "status": message.status,
        "delivered": message.status in DELIVERED if outbound else True,
        "error": message.error,
    }
