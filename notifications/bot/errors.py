"""The staff bot's failures that the edges (the API, the console) catch, declared without
aiogram so that they can be caught where the bot library is never imported."""

from __future__ import annotations


class BotUnavailable(Exception):
    """Telegram could not tell the bot's name (no network, wrong token)."""
