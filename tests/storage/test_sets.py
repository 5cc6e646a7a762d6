"""A column matched against a set of values: the same rows on both databases for any count
(more than one ``IN`` list holds, none at all), and on PostgreSQL one statement whatever the
count, so the driver prepares it once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select

from storage.db import SessionFactory
from storage.models import Client, ClientPhone
from storage.repositories.bulk import IN_BATCH
from storage.repositories.sets import among, batches, not_among
from storage.uow import UnitOfWork

OWNED = 1_200  # more than one IN list holds


def _number(i: int) -> str:
    return f"+7916{i:07d}"


async def _seed(factory: SessionFactory) -> int:
    async with UnitOfWork(factory) as uow:
        client = Client(name="Владелец")
        uow.session.add(client)
        await uow.session.flush()
        uow.session.add_all(
            ClientPhone(client_id=client.id, number=_number(i)) for i in range(OWNED)
        )
        await uow.commit()
        return client.id


async def test_owners_of_more_numbers_than_one_list_holds(factory: SessionFactory) -> None:
    client_id = await _seed(factory)
    asked = [_number(i) for i in range(0, OWNED * 2, 2)]  # every other one, half of them owned
    async with UnitOfWork(factory, read_only=True) as uow:
        owners = await uow.clients.owners(asked)
        assert await uow.clients.owners([]) == {}
    assert owners == {_number(i): client_id for i in range(0, OWNED, 2)}


async def test_among_and_not_among_select_the_same_rows_on_both_databases(
    factory: SessionFactory,
) -> None:
    await _seed(factory)
    some = [_number(i) for i in (0, 5, 7, OWNED + 3)]
    async with UnitOfWork(factory, read_only=True) as uow:
        session = uow.session
        number = ClientPhone.number

        async def count(*where: Any) -> int:
            return len((await session.scalars(select(number).where(*where))).all())

        assert await count(among(session, number, some)) == 3
        assert await count(not_among(session, number, some)) == OWNED - 3
        assert await count(among(session, number, [])) == 0
        assert await count(not_among(session, number, [])) == OWNED
        by_id = await count(among(session, ClientPhone.id, {-1, 0}))
        assert by_id == 0


async def test_a_value_longer_than_the_column_matches_nothing(factory: SessionFactory) -> None:
    # A cast to the column's varchar(32)[] would cut the value to the stored one.
    stored = "+7916" + "1" * 27
    async with UnitOfWork(factory) as uow:
        client = Client(name="Длинный номер")
        uow.session.add(client)
        await uow.session.flush()
        uow.session.add(ClientPhone(client_id=client.id, number=stored))
        await uow.commit()
    async with UnitOfWork(factory, read_only=True) as uow:
        assert await uow.clients.owners([stored + "2"]) == {}
        assert await uow.clients.owners([stored]) == {stored: client.id}


async def test_batches_fit_the_database(factory: SessionFactory) -> None:
    values = list(range(IN_BATCH * 2 + 1))
    async with UnitOfWork(factory, read_only=True) as uow:
        parts = batches(uow.session, values)
        postgres = uow.session.get_bind().dialect.name == "postgresql"
        assert batches(uow.session, []) == []
    assert [v for part in parts for v in part] == values
    assert len(parts) == (1 if postgres else 3)


async def test_postgresql_runs_one_statement_for_any_count(factory: SessionFactory) -> None:
    await _seed(factory)
    seen: list[tuple[str, Any]] = []
    async with UnitOfWork(factory, read_only=True) as uow:
        engine = uow.session.get_bind()

        def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
            seen.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", record)
        try:
            for count in (1, 3, 40):
                await uow.clients.owners(_number(i) for i in range(count))
        finally:
            event.remove(engine, "before_cursor_execute", record)
        postgres = engine.dialect.name == "postgresql"
    statements = {statement for statement, _ in seen}
    if postgres:
        assert len(statements) == 1, statements
        assert [len(parameters[0]) for _, parameters in seen] == [1, 3, 40]
    else:
        assert len(statements) == 3  # an IN list of each count
