"""The KPI «контакты уточнены»: how many contacts a manager made known in a month.

Three kinds of work count, each once:

* **triaged** — numbers he took out of the triage queue: the audit log's ``triage`` entries
  (entity ``unknown_number``, the number as its id) and the numbers whose
  ``unknown_numbers.resolved_by`` names him, resolved within the month; a number once however
  both record it;
* **clients_created** — client cards he created (``create`` entries of entity ``client``),
  except a card made by his triage of a number (its phones hold a number he triaged that month):
  that work is counted as the triage;
* **phones_added** — phones he added to cards (``update`` entries of entity ``client``: each
  number in the card's phones after and not before), except numbers he triaged that month.

``refined`` is their sum. Audit actors are free text; :class:`Actors` says who a text is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


def _name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


class Actors:
    """Who an audit actor (or ``resolved_by``) is, among the managers.

    * ``manager:<id>`` is the manager with that id;
    * a manager's name, compared without regard to case or repeated spaces (what the staff bot
      and the console record), is that manager — unless two managers share the name, when it
      is nobody's;
    * ``token:<NAME>`` (an API token's actor) is matched by ``NAME`` the same way, so a token
      issued in a manager's name counts for him;
    * anything else (``admin``, ``cli``, ``import``...) is nobody's.
    """

    def __init__(self, managers: Iterable[tuple[int, str]]) -> None:
        self._ids: set[int] = set()
        self._names: dict[str, set[int]] = {}
        for manager_id, name in managers:
            self._ids.add(manager_id)
            self._names.setdefault(_name_key(name), set()).add(manager_id)

    def manager_of(self, actor: str | None) -> int | None:
        if not actor:
            return None
        text = actor.strip()
        prefix, _, rest = text.partition(":")
        if prefix == "manager" and rest.isdigit() and rest.isascii():
            return int(rest) if int(rest) in self._ids else None
        if prefix == "token" and rest:
            text = rest
        found = self._names.get(_name_key(text), set())
        return next(iter(found)) if len(found) == 1 else None


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditRow:
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution:
    """An unknown number resolved within the month, and who resolved it (``resolved_by``)."""

    number: str
    resolved_by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class KpiLine:
    manager_id: int
    triaged: int
    clients_created: int
    phones_added: int

    @property
    def refined(self) -> int:
        return self.triaged + self.clients_created + self.phones_added


def _phones(view: dict[str, Any] | None) -> set[str]:
    phones = (view or {}).get("phones") or []
    return {str(p) for p in phones}


def kpi(
    audit: Iterable[AuditRow],
    resolutions: Iterable[Resolution],
    actors: Actors,
    *,
    everyone: Iterable[int] = (),
) -> list[KpiLine]:
    """One line per manager who did any of the work, and per manager in ``everyone`` (with
    zeros), ordered by manager id."""
    rows = list(audit)
    triaged: dict[int, set[str]] = {}
    for row in rows:
        manager = actors.manager_of(row.actor)
        if manager is not None and row.action == "triage" and row.entity == "unknown_number":
            triaged.setdefault(manager, set()).add(row.entity_id)
    for resolution in resolutions:
        manager = actors.manager_of(resolution.resolved_by)
        if manager is not None:
            triaged.setdefault(manager, set()).add(resolution.number)
    created: dict[int, int] = {}
    added: dict[int, int] = {}
    for row in rows:
        manager = actors.manager_of(row.actor)
        if manager is None or row.entity != "client":
            continue
        his = triaged.get(manager, set())
        if row.action == "create" and not _phones(row.after) & his:
            created[manager] = created.get(manager, 0) + 1
        elif row.action == "update" and (new := _phones(row.after) - _phones(row.before) - his):
            added[manager] = added.get(manager, 0) + len(new)
    people = {*everyone, *triaged, *created, *added}
    return [
        KpiLine(
            manager_id=m,
            triaged=len(triaged.get(m, ())),
            clients_created=created.get(m, 0),
            phones_added=added.get(m, 0),
        )
        for m in sorted(people)
    ]
