"""What a button under a staff-bot message asks for, declared once
(:class:`notifications.button_data.ButtonData`, without aiogram).

Packed data must stay within Telegram's 64 bytes: short prefixes and field names, numbers in
E.164.
"""

from __future__ import annotations

from notifications.button_data import ButtonData


class CardAction(ButtonData, prefix="card"):
    """Show the client's card."""

    id: int


class CloseAction(ButtonData, prefix="close"):
    """Close the callback case by hand (asks for the reason)."""

    id: int


class CallAction(ButtonData, prefix="call"):
    """Ring my phone, then this number (click-to-call through the PBX)."""

    n: str


class TriageAction(ButtonData, prefix="tri"):
    """Triage a number: ``find`` a client for it, a ``new`` client, or a ``list``; then the
    choice: ``client`` (``arg``: the client id) or ``to`` (``arg``: the list id); ``cancel``."""

    a: str
    n: str
    arg: int = 0


class TemplateAction(ButtonData, prefix="tpl"):
    """Send the channel's template that reopens conversation ``id`` (WhatsApp past 24 h)."""

    id: int
