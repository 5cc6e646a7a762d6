"""The steps of the staff bots' dialogues as they are stored, without aiogram: a question the
bot asked (a reason for closing a case, a client's name or a search for triage), whose typed
answer is the next step.

Each step is kept in the database (``bot_states``) under its name, ``Group:step`` — the name
aiogram's FSM gives the Telegram bot's states (:mod:`notifications.bot.dialogues`, whose states
are tested to carry these very names), and the name the staff bot on MAX stores. A stored name
must never change: a dialogue in progress when the service restarts goes on from it.
"""

from __future__ import annotations

from datetime import timedelta

# An answer that comes later than this after the question is not taken as one.
DIALOGUE_TTL = timedelta(minutes=30)
# The buttons that are steps of a dialogue (their data's prefixes).
DIALOGUE_BUTTONS = ("tri:", "reason:")

CLOSING_REASON = "Closing:reason"
TRIAGE_QUERY = "Triage:client_query"
TRIAGE_NAME = "Triage:client_name"
