"""The staff bots' dialogue steps are stored under one set of names: the Telegram bot's aiogram
states carry the very names the staff bot on MAX stores (``dialogue_steps``), so a dialogue in
``bot_states`` reads the same whichever side wrote it, and neither can drift."""

from __future__ import annotations

from notifications.bot import dialogue_steps
from notifications.bot.dialogues import Closing, Triage


def test_the_telegram_states_are_stored_under_the_plain_names() -> None:
    assert Closing.reason.state == dialogue_steps.CLOSING_REASON == "Closing:reason"
    assert Triage.client_query.state == dialogue_steps.TRIAGE_QUERY == "Triage:client_query"
    assert Triage.client_name.state == dialogue_steps.TRIAGE_NAME == "Triage:client_name"
    every_state = {s.state for group in (Closing, Triage) for s in group.__all_states__}
    assert every_state == {
        dialogue_steps.CLOSING_REASON,
        dialogue_steps.TRIAGE_QUERY,
        dialogue_steps.TRIAGE_NAME,
    }
