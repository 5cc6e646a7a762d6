"""What a button under a staff-bot message asks for, declared once as aiogram ``CallbackData``.

Packed data must stay within Telegram's 64 bytes: short prefixes and field names, numbers in
E.164.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class CardAction(CallbackData, prefix="card"):
    """Show the client's card."""

    id: int


class CloseAction(CallbackData, prefix="close"):
    """Close the callback case by hand (asks for the reason)."""

    id: int


class CallAction(CallbackData, prefix="call"):
    """Ring my phone, then this number (click-to-call through the PBX)."""

    n: str


class TriageAction(CallbackData, prefix="tri"):
    """Triage a number: ``find`` a client for it, a ``new`` client, or a ``list``; then the
    choice: ``client`` (``arg``: the client id) or ``to`` (``arg``: the list id); ``cancel``."""

    a: str
    n: str
    arg: int = 0


class TemplateAction(CallbackData, prefix="tpl"):
    """Send the channel's template that reopens conversation ``id`` (WhatsApp past 24 h)."""

    id: int
