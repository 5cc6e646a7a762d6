"""A client card's forms at the console: what a person posted, read into the API's own request
models (the validation of ``POST`` and ``PATCH /api/v1/clients``, to the letter), whom he may
make a client's manager, and every refusal as a text of the console naming the problem.

Whom one may assign follows the scope (``hub/domain/scope.py``): a manager takes a client
himself and hands him to nobody else; a supervisor gives him to anyone of his team (or to
nobody in particular, which he oversees too); directors and admins to anyone. A client cannot be
handed out of the giver's sight, where the giver could no longer undo it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hub.bootstrap.commits import OthersNumber
from hub.console.access import field
from hub.domain.digits import plain_digits
from hub.domain.errors import Conflict, DozvonError, NotFound
from hub.domain.scope import Scope
from storage.models import Manager

Model = TypeVar("Model", bound=BaseModel)


class Refused(Exception):
    """A form refused: the console text that says why, and the values it names."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True)
class Choice:
    """A manager one may assign, as the form's list shows him."""

    id: int
    name: str


def assignable(scope: Scope, managers: Sequence[Manager]) -> list[Choice]:
    """The active managers ``scope`` may make a client's personal manager, by name."""
    found = [m for m in managers if m.active and scope.owns(m.id)]
    return [Choice(m.id, m.name) for m in sorted(found, key=lambda m: m.name.casefold())]


def may_assign(scope: Scope, managers: Sequence[Manager], manager_id: int | None) -> bool:
    """May ``scope`` make ``manager_id`` (None: nobody) a client's manager?"""
    if manager_id is None:
        return scope.owns(None)
    return any(choice.id == manager_id for choice in assignable(scope, managers))


def card_values(posted: Mapping[str, object]) -> dict[str, Any]:
    """The card's fields as posted: name, notes, status and the manager's id (None for
    nobody)."""
    chosen = field(posted, "manager_id").strip()
    if chosen and not (plain_digits(chosen) and len(chosen) <= 10):
        raise Refused("clients_error_manager")
    return {
        "name": field(posted, "name"),
        "notes": field(posted, "notes"),
        "status": field(posted, "status"),
        "manager_id": int(chosen) if chosen else None,
    }


def validated(model: type[Model], values: Mapping[str, Any]) -> Model:
    """``values`` read by the API's request model, or the refusal that names the first
    problem."""
    try:
        return model.model_validate_json(json.dumps(values))
    except ValidationError as exc:
        raise _refusal(exc) from exc


def _refusal(exc: ValidationError) -> Refused:
    first = exc.errors()[0]
    where = str(first["loc"][0]) if first["loc"] else ""
    kind = first["type"]
    if where == "name":
        return Refused(
            {
                "string_too_short": "clients_error_name_empty",
                "string_too_long": "clients_error_name_long",
            }.get(kind, "clients_error_name_line")
        )
    if where == "phones":
        return Refused("clients_error_phones_many")
    return Refused(
        {
            "notes": "clients_error_notes",
            "status": "clients_error_status",
            "manager_id": "clients_error_manager",
        }.get(where, "clients_error_form")
    )


def service_refusal(exc: DozvonError, typed: str) -> Refused:
    """A service's refusal of a change as the console says it; ``typed`` is the number the
    person wrote, where a number is at stake."""
    if isinstance(exc, OthersNumber):
        return Refused("clients_error_phone_others", number=exc.number)
    if exc.field is not None and exc.field.startswith(("phones", "number")):
        if isinstance(exc, Conflict):
            return Refused("clients_error_phone_taken", number=typed)
        if isinstance(exc, NotFound):
            return Refused("clients_error_phone_absent", number=typed)
        return Refused("clients_error_phone", number=typed)
    if exc.field == "manager_id":
        return Refused("clients_error_manager")
    if exc.field == "version":
        return Refused("clients_error_version")
    if exc.field == "status":
        return Refused("clients_error_status")
    return Refused("clients_error_form")
