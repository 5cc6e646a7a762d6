"""How the audit page shows an entry: what changed, field by field, as ``before → after`` (the
fields a creation set, the fields a deletion removed), values as a person reads them — yes and
no, moments in the company's time, people by name — and who did it by name."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

EMPTY = "—"
# The fields that hold a person's id.
PEOPLE = frozenset(
    {"manager_id", "substitute_id", "supervisor_id", "last_manager_id", "returned_by"}
)
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# An actor written as the person's record (a password he set himself): ``manager:12``.
_PERSON_ACTOR = re.compile(r"manager:(\d{1,10})")


@dataclass(frozen=True, slots=True)
class Words:
    """What values read as on the page: yes and no in its language, moments in its zone."""

    yes: str
    no: str
    zone: tzinfo
    # The words of a field's fixed values (a role, a status): field → value → word.
    named: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    before: str | None  # None: the field did not exist before (a creation)
    after: str | None  # None: the field is gone (a deletion)


def readable(value: Any, names: Mapping[int, str], words: Words, key: str = "") -> str:
    """A stored value as text: lists joined, people named, moments in the company's time,
    nothing as a dash."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return words.yes if value else words.no
    if key in PEOPLE and isinstance(value, int) and value in names:
        return names[value]
    if isinstance(value, str) and value in words.named.get(key, {}):
        return words.named[key][value]
    if isinstance(value, str) and _MOMENT.match(value):
        try:
            return datetime.fromisoformat(value).astimezone(words.zone).strftime("%d.%m.%Y %H:%M")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(readable(v, names, words) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def actor_name(actor: str, names: Mapping[int, str]) -> str:
    """Who did it, as the page names him (a person's record by his name)."""
    found = _PERSON_ACTOR.fullmatch(actor)
    if found is not None and int(found.group(1)) in names:
        return names[int(found.group(1))]
    return actor


def changes(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    names: Mapping[int, str],
    words: Words,
) -> list[Change]:
    """The fields that differ between the two versions, in the order of their names."""
    old, new = before or {}, after or {}
    found = []
    for key in sorted({*old, *new}):
        if before is not None and after is not None and old.get(key) == new.get(key):
            continue
        found.append(
            Change(
                key,
                readable(old.get(key), names, words, key) if before is not None else None,
                readable(new.get(key), names, words, key) if after is not None else None,
            )
        )
    return found
