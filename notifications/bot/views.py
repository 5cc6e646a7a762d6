"""What the bot answers, as pure functions of what the database holds: lists of cases, a card."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

from hub.domain.cases import CaseStatus
from notifications.bot.actions import CallAction, CloseAction
from notifications.catalogue import Language, outcome, text
from storage.models import Call, CallbackCase, Client, Manager

LIST_LIMIT = 20
BUTTON_LIMIT = 10
RECENT_CALLS = 5
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
) -> tuple[str, Buttons]:
    """Open cases, oldest first, with a "Called back" button (and «Позвонить» when a PBX can
    place calls) for each of the first ones.

    ``managers`` names the responsible person on each line (the team's list); ``None`` leaves it
    out (my own list).
    """
    ordered = sorted(cases, key=lambda c: (c.first_missed_at, c.id))
    lines = [text(title_key, language, count=len(ordered))]
    for index, case in enumerate(ordered[:LIST_LIMIT], start=1):
        client = clients.get(case.client_id or 0)
        line = text(
            "case_line",
            language,
            index=index,
            who=client.name if client else text("unknown_number", language),
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
                if can_call
                else []
            ),
        ]
        for index, case in enumerate(ordered[:BUTTON_LIMIT], start=1)
    ]
    return "\n".join(lines), buttons


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
) -> str:
    """A client's card: who he is, whose he is, his last calls and whether he waits for us."""
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
    waiting = (
        text(
            "screen_pop_case",
            language,
            count=case.missed_count,
            when=when(case.first_missed_at, zone),
        )
        if case
        else ""
    )
    return text(
        "card",
        language,
        name=client.name,
        status=client.status,
        manager=owner.name if owner else text("nobody", language),
        phones=", ".join(phones) or text("no_value", language),
        calls="\n".join(lines) or text("never", language),
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
