"""People of the company as the rules see them: roles, and how a staff invite can end."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    MANAGER = "manager"
    SUPERVISOR = "supervisor"
    DIRECTOR = "director"
    ADMIN = "admin"


class Redeemed(enum.StrEnum):
    """What opening a one-time invite did."""

    BOUND = "bound"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    INACTIVE = "inactive"


@dataclass(frozen=True, slots=True)
class Redemption:
    outcome: Redeemed
    manager_id: int | None = None
    manager_name: str | None = None


def invite_link(bot_username: str, code: str) -> str:
    """The deep link Telegram opens as ``/start <code>`` in the bot's chat."""
    return f"https://t.me/{bot_username}?start={code}"
