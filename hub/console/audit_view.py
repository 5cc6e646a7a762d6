"""How the audit page shows an entry: what changed, field by field, as ``before → after`` (the
fields a creation set, the fields a deletion removed), values as a person reads them and
managers by name beside their id."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

EMPTY = "—"


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    before: str | None  # None: the field did not exist before (a creation)
    after: str | None  # None: the field is gone (a deletion)


def readable(value: Any, names: Mapping[int, str], key: str = "") -> str:
    """A stored value as text: lists joined, managers named, nothing as a dash."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "true" if value else "false"
    if key.endswith("manager_id") and isinstance(value, int) and value in names:
        return f"{names[value]} (#{value})"
    if isinstance(value, list):
        return ", ".join(readable(v, names) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, names: Mapping[int, str]
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
                readable(old.get(key), names, key) if before is not None else None,
                readable(new.get(key), names, key) if after is not None else None,
            )
        )
    return found
