"""People of the company as the rules see them: roles, API tokens' roles, and staff invites."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    MANAGER = "manager"
    SUPERVISOR = "supervisor"
    DIRECTOR = "director"
    ADMIN = "admin"


# How staff lists write a role: our own words, and the Russian ones (1C, Bitrix24, a table).
ROLE_WORDS: dict[str, Role] = {
    **{role.value: role for role in Role},
    "менеджер": Role.MANAGER,
    "продавец": Role.MANAGER,
    "сотрудник": Role.MANAGER,
    "руководитель": Role.SUPERVISOR,
    "руководитель отдела": Role.SUPERVISOR,
    "начальник отдела": Role.SUPERVISOR,
    "контролер": Role.SUPERVISOR,
    "супервайзер": Role.SUPERVISOR,
    "директор": Role.DIRECTOR,
    "генеральный директор": Role.DIRECTOR,
    "коммерческий директор": Role.DIRECTOR,
    "администратор": Role.ADMIN,
    "админ": Role.ADMIN,
}


def parse_role(text: str) -> Role | None:
    """The role a person wrote («Руководитель», ``supervisor``), or None for another word."""
    key = " ".join(text.casefold().replace("ё", "е").split())
    return ROLE_WORDS.get(key)


class TokenRole(enum.StrEnum):
    """What an API token may do (a person's role is :class:`Role`; a PBX has a token too)."""

    ADMIN = "admin"
    MANAGER = "manager"
    PBX = "pbx"
    VIEWER = "viewer"


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


def invite_link(bot_username: str, code: str, *, channel: str = "telegram") -> str:
    """The deep link that opens the staff bot with ``code``: Telegram's (``/start <code>`` in
    the bot's chat) or, for ``channel="max"``, MAX's (``bot_started`` with the code as its
    payload)."""
    if channel == "max":
        return f"https://max.ru/{bot_username}?start={code}"
    return f"https://t.me/{bot_username}?start={code}"
