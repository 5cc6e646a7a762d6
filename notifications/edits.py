"""What an edit of a message does, decided from the messages of its key (the message, edits of
it, one that went as new): edit the delivered message, wait for the one still on its way, go as
a new message where none reached this chat, or nothing. Pure: the sender reads the key's
messages once and acts on the answer."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from notifications.rows import HANDED_OVER
from storage.models import LIVE_STATUSES


class Edit(enum.Enum):
    WAIT = "wait"  # the message to edit is not out yet
    NEW = "new"  # none reached this chat: the edit goes as a new message
    SUPERSEDED = "superseded"  # a later message of the key reached this chat already
    NEVER_TOLD = "never told"  # a «handed over» notice to someone who never had the alert


@dataclass(frozen=True, slots=True)
class Keyed:
    """One message of a key, as the decision needs it."""

    id: int
    channel: str
    chat_id: int | None
    status: str
    names_key: bool  # the message the key names (not an edit waiting to edit it)
    remote: int | str | None  # its id in the chat, once delivered


def edit_step(edit: Keyed, kind: str, messages: Sequence[Keyed]) -> int | str | Edit:
    """What ``edit`` (a message of kind ``kind``) does, ``messages`` being its key's. An id: the
    delivered message to edit. A «handed over» notice goes nowhere when no message of the case
    reached the person on any of his channels (see HANDED_OVER)."""
    here = [m for m in messages if m.channel == edit.channel and m.chat_id == edit.chat_id]
    if any(m.id > edit.id and m.status == "sent" for m in here):
        return Edit.SUPERSEDED
    # The edit itself may name the key: it went as new before and that try failed (it is still
    # pending, to be tried again); it goes as new again, not waiting for itself.
    originals = [m for m in here if m.names_key and m.status in LIVE_STATUSES and m.id != edit.id]
    if originals:
        return max(originals, key=lambda m: m.id).remote or Edit.WAIT
    if kind == HANDED_OVER and not any(
        m.id != edit.id and m.status in LIVE_STATUSES for m in messages
    ):
        return Edit.NEVER_TOLD
    return Edit.NEW
