"""What the audit log records changes of: the entities an ``entity`` filter may name."""

from __future__ import annotations

import enum


class AuditEntity(enum.StrEnum):
    ABSENCE = "absence"
    CALENDAR = "calendar"
    CALL = "call"
    CALLBACK_CASE = "callback_case"
    CLIENT = "client"
    INVITE = "invite"
    LIST = "list"
    LIST_ENTRY = "list_entry"
    MANAGER = "manager"
    TOKEN = "token"  # noqa: S105 (the name of an entity, not a secret)
    UNKNOWN_NUMBER = "unknown_number"
