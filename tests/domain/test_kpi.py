"""The KPI «контакты уточнены» on plain rows: who an actor is, and each piece of work once."""

from __future__ import annotations

from hub.domain.kpi import Actors, AuditRow, KpiLine, Resolution, kpi

ACTORS = Actors([(1, "Иван Петров"), (2, "Пётр"), (3, "Анна"), (4, "Анна"), (5, "admin")])


def test_actors() -> None:
    assert ACTORS.manager_of("Иван Петров") == 1
    assert ACTORS.manager_of("  иван   петров ") == 1
    assert ACTORS.manager_of("token:Иван Петров") == 1
    assert ACTORS.manager_of("manager:2") == 2
    assert ACTORS.manager_of("manager:99") is None  # nobody has that id
    assert ACTORS.manager_of("manager:２") is None  # digits, but not ASCII ones
    assert ACTORS.manager_of("Анна") is None  # two managers share the name
    assert ACTORS.manager_of("token:crm") is None
    assert ACTORS.manager_of("cli") is None
    assert ACTORS.manager_of("") is None and ACTORS.manager_of(None) is None


def _row(actor: str, action: str, entity: str, entity_id: str, **views: list[str]) -> AuditRow:
    before = {"phones": views["before"]} if "before" in views else None
    after = {"phones": views["after"]} if "after" in views else None
    return AuditRow(
        actor=actor, action=action, entity=entity, entity_id=entity_id, before=before, after=after
    )


def test_each_piece_of_work_counts_once() -> None:
    rows = [
        _row("Иван Петров", "triage", "unknown_number", "+7916"),
        _row("Иван Петров", "create", "client", "1", after=["+7916"]),  # the triage's card
        _row("Иван Петров", "create", "client", "2", after=["+7917"]),
        _row("Иван Петров", "update", "client", "2", before=["+7917"], after=["+7917", "+7918"]),
        _row("Иван Петров", "update", "client", "2", before=["+7917"], after=[]),  # removed
        _row("Иван Петров", "delete", "client", "2", before=["+7917"]),
        _row("manager:2", "triage", "unknown_number", "+7920"),
        _row("manager:2", "update", "client", "3", before=[], after=["+7920"]),  # the triage's
        _row("Анна", "create", "client", "4", after=[]),  # ambiguous: nobody's
    ]
    resolved = [
        Resolution(number="+7920", resolved_by="Пётр"),
        Resolution(number="+7921", resolved_by="Пётр"),
    ]
    lines = kpi(rows, resolved, ACTORS, everyone=[3])
    assert lines == [
        KpiLine(manager_id=1, triaged=1, clients_created=1, phones_added=1),
        KpiLine(manager_id=2, triaged=2, clients_created=0, phones_added=0),
        KpiLine(manager_id=3, triaged=0, clients_created=0, phones_added=0),
    ]
    assert [line.refined for line in lines] == [3, 2, 0]
