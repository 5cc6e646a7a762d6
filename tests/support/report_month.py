"""One known month for the reports, laid down row by row: November 2026 in Moscow.

Ольга (supervisor, extension 100, chat 1000) leads Иван (101, chat 1001) and Пётр (102, chat
1002); Директор (chat 9000). Unregistered numbers reach the managers in every way the report
knows (answered, rang, the number is his), beside calls it must leave out; the audit log holds a
month of triage and card work; clients are contacted long ago, never, or lately. What each report
should say about it is in ``EXPECTED_*``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from storage.db import SessionFactory
from storage.models import (
    AuditEntry,
    Call,
    CallEvent,
    Client,
    ClientPhone,
    ListEntry,
    Manager,
    NumberList,
    UnknownNumber,
)
from tests.support.clock import MOSCOW

OLGA, IVAN, PETR, DIRECTOR = 1, 2, 3, 4
CHATS = {OLGA: 1000, IVAN: 1001, PETR: 1002, DIRECTOR: 9000}
CLIENT_PHONE = "+79031112233"
LISTED = "+79035550000"
U1, U2, U3, U4 = "+79161000001", "+79161000002", "+79161000003", "+79161000004"
# Every answered call is answered this long after it starts.
ANSWERED_AFTER = timedelta(seconds=10)
# A Wednesday morning in the month, after every call laid down.
NOW = datetime(2026, 11, 25, 10, 30, tzinfo=MOSCOW)


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MOSCOW)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


EXPECTED_UNREGISTERED = [
    {
        "number": U1,
        "manager_id": IVAN,
        "calls": 2,
        "first_call": iso(at(11, 3)),
        "last_call": iso(at(11, 5)),
        "recordings": ["/api/v1/calls/1/recording"],
    },
    {
        "number": U3,
        "manager_id": IVAN,
        "calls": 1,
        "first_call": iso(at(11, 12)),
        "last_call": iso(at(11, 12)),
        "recordings": [],
    },
    {
        "number": U1,
        "manager_id": PETR,
        "calls": 1,
        "first_call": iso(at(11, 5)),
        "last_call": iso(at(11, 5)),
        "recordings": [],
    },
    {
        "number": U2,
        "manager_id": PETR,
        "calls": 1,
        "first_call": iso(at(11, 10)),
        "last_call": iso(at(11, 10)),
        "recordings": ["/api/v1/calls/3/recording"],
    },
]

EXPECTED_KPI = [
    {"manager_id": OLGA, "triaged": 0, "clients_created": 0, "phones_added": 0, "refined": 0},
    {"manager_id": IVAN, "triaged": 1, "clients_created": 1, "phones_added": 2, "refined": 4},
    {"manager_id": PETR, "triaged": 2, "clients_created": 0, "phones_added": 0, "refined": 2},
]


def _days(since: datetime) -> int:
    return (NOW - since).days


EXPECTED_FORGOTTEN = [
    {
        "client_id": 5,
        "name": "ИП Забытов",
        "manager_id": IVAN,
        "last_contact": iso(at(2, 1) + ANSWERED_AFTER),
        "days": _days(at(2, 1)),
    },
    {
        "client_id": 3,
        "name": "ООО Тишина",
        "manager_id": PETR,
        "last_contact": None,
        "days": _days(at(3, 1)),
    },
    {
        "client_id": 2,
        "name": "АО Давнее",
        "manager_id": IVAN,
        "last_contact": iso(at(6, 1) + ANSWERED_AFTER),
        "days": _days(at(6, 1)),
    },
]


def _call(
    call_id: int,
    number: str,
    started: datetime,
    *,
    manager_id: int | None = None,
    direction: str = "inbound",
    recording: str | None = None,
    client_id: int | None = None,
    route: dict[str, Any] | None = None,
) -> Call:
    answered = started + ANSWERED_AFTER if manager_id is not None else None
    inbound = direction == "inbound"
    return Call(
        id=call_id,
        connector="generic",
        vendor_call_id=f"c{call_id}",
        direction=direction,
        status="ended",
        outcome="answered" if answered else "missed",
        caller=number if inbound else "101",
        caller_kind="external" if inbound else "internal",
        callee="+74950001122" if inbound else number,
        callee_kind="external",
        external_number=number,
        client_id=client_id,
        manager_id=manager_id,
        extension={IVAN: "101", PETR: "102"}.get(manager_id or 0),
        started_at=started,
        answered_at=answered,
        ended_at=started + timedelta(minutes=2),
        recording_url=recording,
        route=route,
    )


def _rang(call_id: int, number: str, extension: str, moment: datetime) -> CallEvent:
    return CallEvent(
        connector="generic",
        vendor_call_id=f"c{call_id}",
        event_id=f"c{call_id}-ringing-{extension}",
        state_key=f"c{call_id}|ringing|{extension}|",
        direction="inbound",
        state="ringing",
        caller=number,
        callee="+74950001122",
        extension=extension,
        at=moment,
        folded=True,
    )


def _audit(actor: str, action: str, entity: str, entity_id: str, **views: Any) -> AuditEntry:
    return AuditEntry(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=views.get("before"),
        after=views.get("after"),
        at=views.get("moment", at(11, 15)),
    )


async def seed_month(factory: SessionFactory) -> None:
    async with factory() as session:
        people = [
            (OLGA, "Ольга", "supervisor", "100", None),
            (DIRECTOR, "Директор", "director", None, None),
            (IVAN, "Иван", "manager", "101", OLGA),
            (PETR, "Пётр", "manager", "102", OLGA),
        ]
        for manager_id, name, role, extension, boss in people:
            session.add(
                Manager(
                    id=manager_id,
                    name=name,
                    role=role,
                    extension=extension,
                    supervisor_id=boss,
                    telegram_chat_id=CHATS[manager_id],
                )
            )
            await session.flush()
        session.add_all(
            [
                Client(id=1, name="ООО Ромашка", manager_id=IVAN, created_at=at(1, 10)),
                Client(id=2, name="АО Давнее", manager_id=IVAN, created_at=at(1, 1)),
                Client(id=3, name="ООО Тишина", manager_id=PETR, created_at=at(3, 1)),
                Client(id=4, name="ООО Новое", manager_id=IVAN, created_at=at(11, 1)),
                Client(id=5, name="ИП Забытов", manager_id=IVAN, created_at=at(12, 1, year=2025)),
            ]
        )
        spam = NumberList(slug="report-spam", title="Спам", action="reject")
        session.add(spam)
        await session.flush()
        session.add_all(
            [
                ClientPhone(client_id=1, number=CLIENT_PHONE),
                ClientPhone(client_id=2, number="+79032220000"),
                ClientPhone(client_id=3, number="+79033330000"),
                ClientPhone(client_id=5, number="+79035550005"),
                ClientPhone(client_id=5, number="+79035550006"),
                ListEntry(list_id=spam.id, number=LISTED),
                UnknownNumber(
                    number=U3,
                    status="open",
                    first_seen=at(11, 12),
                    last_seen=at(11, 12),
                    calls=1,
                    manager_ids=[],
                    recording_urls=[],
                    manager_id=IVAN,
                ),
                # Resolved by Пётр through the staff bot (no audit entry of the triage).
                UnknownNumber(
                    number="+79161000007",
                    status="resolved",
                    first_seen=at(11, 1),
                    last_seen=at(11, 1),
                    resolved_by="Пётр",
                    resolved_at=at(11, 20),
                ),
                # Triaged by Пётр and recorded both ways: counted once.
                UnknownNumber(
                    number="+79161000006",
                    status="resolved",
                    first_seen=at(11, 1),
                    last_seen=at(11, 1),
                    resolved_by="manager:3",
                    resolved_at=at(11, 18),
                ),
            ]
        )
        calls = [
            # U1: Иван talked to it; then it rang both Иван and Пётр and nobody answered.
            _call(1, U1, at(11, 3), manager_id=IVAN, recording="https://rec.example/c1.mp3"),
            _call(2, U1, at(11, 5), route={"target": {"extension": "100"}, "reason": "x"}),
            # U2 rang only Пётр (the routing decision had named Иван: what rang is what counts).
            _call(3, U2, at(11, 10), recording="https://rec.example/c3.mp3", route={"x": 1}),
            # U3 rang nobody, but it is Иван's number in the triage queue.
            _call(4, U3, at(11, 12)),
            # Left out: a client's number, a listed one, outside the month, outbound.
            _call(5, CLIENT_PHONE, at(11, 20), manager_id=IVAN, client_id=1),
            _call(6, LISTED, at(11, 6), manager_id=IVAN),
            _call(7, U1, at(10, 29, 23, 59), manager_id=IVAN),  # before the last report too
            _call(8, U4, at(11, 7), manager_id=IVAN, direction="outbound"),
            _call(9, U1, at(12, 1, 0, 0), manager_id=IVAN),
            # Contacts of the clients long ago: АО Давнее in June; ИП Забытов answered in
            # February from a number before it was his card's, and missed in November.
            _call(10, "+79032220000", at(6, 1), manager_id=IVAN, client_id=2),
            _call(11, "+79035550006", at(2, 1), manager_id=IVAN),
            _call(12, "+79035550005", at(11, 20), client_id=5),
        ]
        session.add_all(calls)
        session.add_all(
            [
                _rang(2, U1, "101", at(11, 5)),
                _rang(2, U1, "102", at(11, 5)),
                _rang(3, U2, "102", at(11, 10)),
                _rang(3, U2, "999", at(11, 10)),  # nobody's extension
            ]
        )
        phones = {"phones": ["+79161000010"]}
        session.add_all(
            [
                # Иван triaged U5 by creating a card for it: one triage, not a card as well.
                _audit("Иван", "triage", "unknown_number", "+79161000005"),
                _audit("Иван", "create", "client", "20", after={"phones": ["+79161000005"]}),
                _audit("иван ", "create", "client", "21", after=phones),
                _audit(
                    "token:Иван",
                    "update",
                    "client",
                    "1",
                    before={"phones": [CLIENT_PHONE]},
                    after={"phones": [CLIENT_PHONE, "+79161000011", "+79161000012"]},
                ),
                # Пётр triaged U6 by linking it to a card: the phone added is the triage.
                _audit("manager:3", "triage", "unknown_number", "+79161000006"),
                _audit(
                    "manager:3",
                    "update",
                    "client",
                    "3",
                    before={"phones": ["+79033330000"]},
                    after={"phones": ["+79033330000", "+79161000006"]},
                ),
                # Nobody's: the admin, an unknown token; and Иван in October.
                _audit("admin", "create", "client", "22", after={"phones": []}),
                _audit("token:crm-sync", "create", "client", "23", after={"phones": []}),
                _audit("Иван", "create", "client", "24", after=phones, moment=at(10, 31, 20)),
            ]
        )
        await session.commit()
