"""What the bot answers, as pure functions of what the database holds: lists of cases (a
client's message nobody answered marked ✉️ among the missed calls), a card with the latest
calls and messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

from hub.domain.cases import CaseStatus
from notifications.bot.actions import CallAction, CloseAction
from notifications.catalogue import Language, outcome, text
from storage.models import Call, CallbackCase, Client, Conversation, ConversationMessage, Manager

LIST_LIMIT = 20
BUTTON_LIMIT = 10
RECENT_CALLS = 5
RECENT_MESSAGES = 5
# The first line of a message, at most this long, stands for it on a card.
LINE_LIMIT = 80
# How far our message got: being sent, sent, delivered, read, failed.
MARKS = {"pending": " ⏳", "sent": " ✓", "delivered": " ✓✓", "read": " ✓✓", "failed": " ❗"}
# What an outbound message without text was (hub/services/conversations/replies.py's marks).
SPECIAL = ("template", "ask_phone")
Buttons = list[list[dict[str, str]]]


def when(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%d.%m %H:%M")


def case_list(
    title_key: str,
    cases: Sequence[CallbackCase],
    *,
    clients: Mapping[int, Client],
    managers: Mapping[int, Manager] | None,
    language: Language,
    zone: tzinfo,
    can_call: bool = False,
    conversations: Mapping[int, Conversation] | None = None,
) -> tuple[str, Buttons]:
    """Open cases, oldest first, with a "Called back" button (and «Позвонить» when a PBX can
    place calls and the case has a phone) for each of the first ones; a message case is marked
    ✉️ and named after its client or, for a contact nobody knows, as he calls himself
    (``conversations``).

    ``managers`` names the responsible person on each line (the team's list); ``None`` leaves it
    out (my own list).
    """
    ordered = sorted(cases, key=lambda c: (c.first_missed_at, c.id))
    lines = [text(title_key, language, count=len(ordered))]
    for index, case in enumerate(ordered[:LIST_LIMIT], start=1):
        client = clients.get(case.client_id or 0)
        message = case.kind == "message"
        talk = (conversations or {}).get(case.conversation_id or 0) if message else None
        if client is not None:
            who = client.name
        elif talk is not None and talk.name:
            who = talk.name
        else:
            who = text("contact_unknown" if message else "unknown_number", language)
        line = text(
            "case_line_message" if message else "case_line",
            language,
            index=index,
            who=who,
            number=case.number,
            count=case.missed_count,
            when=when(case.first_missed_at, zone),
            state=text("case_escalated", language) if case.status == CaseStatus.ESCALATED else "",
        )
        if managers is not None:
            person = managers.get(case.manager_id or 0)
            name = person.name if person else text("nobody", language)
            line += text("case_line_manager", language, manager=name)
        lines.append(line)
    if len(ordered) > LIST_LIMIT:
        lines.append(text("list_more", language, count=len(ordered) - LIST_LIMIT))
    buttons = [
        [
            {
                "text": f"✅ {index}. {case.number}",
                "callback_data": CloseAction(id=case.id).pack(),
            },
            *(
                [{"text": f"📞 {index}", "callback_data": CallAction(n=case.number).pack()}]
                if can_call and case.number.startswith("+")
                else []
            ),
        ]
        for index, case in enumerate(ordered[:BUTTON_LIMIT], start=1)
    ]
    return "\n".join(lines), buttons


def first_line(message: ConversationMessage, language: Language) -> str:
    """What stands for a message on a card: its first line (cut short), else its files, else
    what kind of message of ours it was."""
    line = next((part.strip() for part in message.text.splitlines() if part.strip()), "")
    if len(line) > LINE_LIMIT:
        line = line[: LINE_LIMIT - 1].rstrip() + "…"
    if line:
        return line
    kinds = [str(a.get("kind") or "") for a in message.attachments or [] if isinstance(a, dict)]
    special = next((k for k in kinds if k in SPECIAL), None)
    if special is not None:
        return text(f"card_message_{special}", language)
    names = [
        str(a.get("name") or a.get("kind") or "…")
        for a in message.attachments or []
        if isinstance(a, dict)
    ]
    return text("relay_files", language, files=", ".join(names)) if names else "…"


def message_lines(
    messages: Sequence[tuple[ConversationMessage, Conversation]],
    managers: Mapping[int, Manager],
    language: Language,
    zone: tzinfo,
) -> list[str]:
    """The latest messages, newest first: who wrote (the contact, or which of us), on which
    channel, the first line, and how far ours got."""
    lines = []
    for message, conversation in messages[:RECENT_MESSAGES]:
        moment, line = when(message.at, zone), first_line(message, language)
        if message.direction == "in":
            who = conversation.name or conversation.contact
            lines.append(
                text(
                    "card_message_in",
                    language,
                    when=moment,
                    who=who,
                    channel=conversation.channel,
                    line=line,
                )
            )
            continue
        person = managers.get(message.manager_id or 0)
        lines.append(
            text(
                "card_message_out",
                language,
                when=moment,
                by=person.name if person else text("card_message_bot", language),
                channel=conversation.channel,
                line=line,
                state=MARKS.get(message.status, ""),
            )
        )
    return lines


def card(
    client: Client,
    *,
    phones: Sequence[str],
    owner: Manager | None,
    calls: Sequence[Call],
    managers: Mapping[int, Manager],
    case: CallbackCase | None,
    language: Language,
    zone: tzinfo,
    messages: Sequence[tuple[ConversationMessage, Conversation]] = (),
) -> str:
    """A client's card: who he is, whose he is, his last calls and messages (newest first) and
    whether he waits for us."""
    lines = []
    for call in calls[:RECENT_CALLS]:
        person = managers.get(call.manager_id or 0)
        lines.append(
            text(
                "card_call",
                language,
                when=when(call.started_at, zone),
                direction=text(f"direction_{call.direction}", language),
                outcome=outcome(call.outcome, language),
                by=f" ({person.name})" if person else "",
            )
        )
    waiting = ""
    if case is not None:
        waiting = text(
            "card_message_case" if case.kind == "message" else "screen_pop_case",
            language,
            count=case.missed_count,
            when=when(case.first_missed_at, zone),
        )
    written = message_lines(messages, managers, language, zone)
    return text(
        "card",
        language,
        name=client.name,
        status=client.status,
        manager=owner.name if owner else text("nobody", language),
        phones=", ".join(phones) or text("no_value", language),
        calls="\n".join(lines) or text("never", language),
        messages=text("card_messages", language, lines="\n".join(written)) if written else "",
        case=waiting,
    )


def close_reasons(case_id: int, language: Language) -> Buttons:
    """The "why close it" choices under the question, one per row."""
    rows = [
        [{"text": text(f"reason_{key}", language), "callback_data": f"reason:{case_id}:{key}"}]
        for key in REASONS
    ]
    rows.append(
        [{"text": text("reason_other", language), "callback_data": f"reason:{case_id}:other"}]
    )
    rows.append(
        [{"text": text("button_cancel", language), "callback_data": f"reason:{case_id}:cancel"}]
    )
    return rows


REASONS = ("mobile", "messenger", "not_needed")
