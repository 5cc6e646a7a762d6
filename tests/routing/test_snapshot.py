"""The packed client columns answer as plain dictionaries would: loaded in any order, changed
card by card afterwards, with numbers that pack into keys and numbers that do not."""

from __future__ import annotations

import random

from routing.snapshot import (
    NO_MANAGER,
    ClientColumnsBuilder,
    Clients,
    ClientView,
    DirectorySnapshot,
    phone_key,
)


class Plain:
    """The snapshot's client part as dictionaries, as it was before the columns."""

    def __init__(self) -> None:
        self.clients: dict[int, ClientView] = {}
        self.client_by_phone: dict[str, int] = {}
        self.phones_by_client: dict[int, frozenset[str]] = {}

    def set_client(self, client: ClientView | None, client_id: int, phones: frozenset[str]) -> None:
        for number in self.phones_by_client.pop(client_id, frozenset()):
            if self.client_by_phone.get(number) == client_id:
                del self.client_by_phone[number]
        self.clients.pop(client_id, None)
        if client is None:
            return
        self.clients[client_id] = client
        self.phones_by_client[client_id] = phones
        for number in phones:
            self.client_by_phone[number] = client_id


def _same(snapshot: DirectorySnapshot, plain: Plain, numbers: list[str], ids: range) -> None:
    for number in numbers:
        assert snapshot.client_by_phone.get(number) == plain.client_by_phone.get(number), number
        assert (number in snapshot.client_by_phone) == (number in plain.client_by_phone)
    for client_id in ids:
        assert (client_id in snapshot.clients) == (client_id in plain.clients), client_id
        card = plain.clients.get(client_id)
        assert snapshot.clients.get(client_id) == card
        manager = None if card is None else card.manager_id or NO_MANAGER
        assert snapshot.clients.manager_of(client_id) == manager, client_id
    assert len(snapshot.clients) == len(plain.clients)
    assert set(snapshot.clients) == set(plain.clients)
    assert dict(snapshot.client_by_phone.items()) == plain.client_by_phone


def test_keys_sort_as_the_numbers_do_by_length_then_as_strings() -> None:
    rng = random.Random(3)
    numbers = {"+1", "+10", "+100", "+999999999999999"}
    numbers |= {"+" + str(rng.randint(1, 10 ** rng.randint(1, 15) - 1)) for _ in range(2000)}
    assert sorted(numbers, key=lambda n: (len(n), n)) == sorted(numbers, key=phone_key)
    assert len({phone_key(n) for n in numbers}) == len(numbers)
    for odd in ("", "+", "+0", "+07916", "79161234567", "+7916123456789012", "+7916x", "+7_916"):
        assert phone_key(odd) == -1
    assert phone_key("+٣٣") == -1
    assert phone_key(" +7916") == -1


def test_loaded_columns_and_changes_answer_as_dictionaries_do() -> None:
    rng = random.Random(11)
    plain = Plain()
    numbers: list[str] = []
    cards, phones = [], []
    for client_id in range(1, 3001, 3):
        name = rng.choice(["ООО «Ромашка»", "Vector", "", "Client"]) + f" {client_id}"
        manager_id = rng.choice([None, 1, 2, 7])
        mine = [f"+7916{client_id:07d}"]
        if client_id % 4 == 0:
            mine.append(f"8-916-{client_id}")  # not E.164: kept beside the packed keys
        if client_id % 5 == 0:
            mine.append(f"+7495{client_id:07d}")
        card = ClientView(id=client_id, name=name, manager_id=manager_id)
        plain.set_client(card, client_id, frozenset(mine))
        cards.append((client_id, name, manager_id))
        phones += [(number, client_id) for number in mine]
        numbers += mine
    # Mostly in order, as the database sends them, with a few strays.
    cards.insert(10, cards.pop(500))
    phones.sort(key=lambda row: (len(row[0]), row[0]))
    phones.insert(3, phones.pop(-1))
    builder = ClientColumnsBuilder()
    for start in range(0, len(cards), 97):
        builder.add_clients(cards[start : start + 97])
    for start in range(0, len(phones), 89):
        builder.add_phones(phones[start : start + 89])
    snapshot = DirectorySnapshot(clients=Clients(builder.build()))
    numbers += ["+79990000000", "+7916", "unknown"]
    ids = range(0, 3200)
    _same(snapshot, plain, numbers, ids)

    for step in range(1, 1501):
        client_id = rng.randrange(0, 3200)
        changed: ClientView | None = None
        if rng.random() >= 0.2:
            changed = ClientView(
                id=client_id, name=f"Renamed {client_id}", manager_id=rng.choice([None, 3])
            )
        # New numbers, and numbers taken from other clients (as a merge of cards would).
        given = frozenset([*rng.sample(numbers, rng.randint(0, 2)), f"+7926{client_id:07d}"])
        numbers += [n for n in given if n not in numbers]
        snapshot.set_client(changed, client_id, given)
        plain.set_client(changed, client_id, given)
        if step % 250 == 0:
            _same(snapshot, plain, numbers, ids)


def test_an_empty_snapshot_knows_nobody() -> None:
    snapshot = DirectorySnapshot()
    assert snapshot.client_by_phone.get("+79161234567") is None
    assert 1 not in snapshot.clients
    assert len(snapshot.clients) == 0
    assert list(snapshot.client_by_phone) == []


def test_ids_beyond_32_bits_widen_the_columns() -> None:
    builder = ClientColumnsBuilder()
    big = 2**40
    builder.add_clients([(1, "One", None), (2, "Two", big)])
    builder.add_clients([(3, "Three", 1), (big, "Big", 2), (big + 1, "Bigger", None)])
    builder.add_phones([("+1", 1), ("+12", big), ("+123", 2)])
    builder.add_phones([("+1234", big + 1), ("odd", big)])
    clients = Clients(builder.build())
    snapshot = DirectorySnapshot(clients=clients)
    assert clients[2] == ClientView(id=2, name="Two", manager_id=big)
    assert clients[big] == ClientView(id=big, name="Big", manager_id=2)
    assert clients[big + 1].manager_id is None
    assert [snapshot.client_by_phone.get(n) for n in ("+1", "+12", "+123", "+1234", "odd")] == [
        1,
        big,
        2,
        big + 1,
        big,
    ]
    assert list(clients) == [1, 2, 3, big, big + 1]
