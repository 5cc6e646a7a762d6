"""The staff bot on MAX: the same invites, commands and buttons as on Telegram, for people who
use MAX instead.

MAX posts the bot's updates to ``POST /api/v1/max/webhook`` (:mod:`.bot` checks, claims and
handles each once); :mod:`.updates` reads them, and the handlers — :mod:`.commands` (invites and
typed commands), :mod:`.pressed` (the buttons under alerts), :mod:`.triage`, :mod:`.answering`
(a reply to a client's relayed message) — act through the same
:class:`~notifications.bot.context.BotContext` as the Telegram bot, with its texts, views and
button data.
"""
