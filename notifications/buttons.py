"""The buttons under every message about a number: write in WhatsApp, call through the PBX, open
the card, close the case, and — for a number nobody knows yet — triage it.

The button data are declared once (:mod:`notifications.bot.actions`); the bot's handlers filter
on the same classes. Rows are plain dicts (stored in the outbox).
"""

from __future__ import annotations

from notifications.bot.actions import CallAction, CardAction, CloseAction, TriageAction
from notifications.catalogue import Language, text

Button = dict[str, str]
Buttons = list[list[Button]]


def whatsapp(number: str, language: Language, label: str | None = None) -> Button:
    """Write to ``number`` in WhatsApp (``label``: the button's text, «WhatsApp» if none)."""
    label = label or text("button_whatsapp", language)
    return {"text": label, "url": f"https://wa.me/{number.lstrip('+')}"}


def call(number: str, language: Language) -> Button:
    return {"text": text("button_call", language), "callback_data": CallAction(n=number).pack()}


def contact_row(number: str, language: Language, *, can_call: bool) -> list[Button]:
    """Call (when the PBX can start calls) and WhatsApp for one number; none for a chat that
    stands in for a number (a messenger contact whose phone is not known)."""
    if not number.startswith("+"):
        return []
    row = [call(number, language)] if can_call else []
    return [*row, whatsapp(number, language)]


def recording_row(link: str | None, language: Language) -> list[list[Button]]:
    """«🎧 Запись», a signed link that plays a call's recording; no row without one."""
    return [[{"text": text("button_recording", language), "url": link}]] if link else []


def triage_row(number: str, language: Language) -> list[Button]:
    """«Клиент…», «Новый клиент», «В список» for a number that is neither a client's nor listed."""
    return [
        {
            "text": text(f"button_triage_{action}", language),
            "callback_data": TriageAction(a=action, n=number).pack(),
        }
        for action in ("find", "new", "list")
    ]


def case_buttons(
    *,
    number: str,
    case_id: int,
    client_id: int | None,
    active: bool,
    unknown: bool,
    language: Language,
    can_call: bool,
    recording: str | None = None,
) -> Buttons:
    """Under an alert about a case: call, WhatsApp, card, the recording of its last recorded
    call (a voicemail, a talk cut short) when there is one, «Перезвонил» while it is active, and
    triage while the number is unknown."""
    first = contact_row(number, language, can_call=can_call)
    if client_id:
        first.append(
            {
                "text": text("button_card", language),
                "callback_data": CardAction(id=client_id).pack(),
            }
        )
    rows = [first, *recording_row(recording, language)]
    if active:
        rows.append(
            [
                {
                    "text": text("button_called_back", language),
                    "callback_data": CloseAction(id=case_id).pack(),
                }
            ]
        )
    if unknown and number.startswith("+"):
        # A messenger contact without a phone is triaged in the console or the API: a button's
        # data has no room for the chat standing for his number.
        rows.append(triage_row(number, language))
    return rows
