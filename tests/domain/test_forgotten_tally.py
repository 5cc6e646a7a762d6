"""The forgotten counted a page at a time: each manager's count and longest forgotten are what
the whole list at once gives, however the clients are split into pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.domain.forgotten import ClientContact, ForgottenTally, forgotten

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)
AFTER = timedelta(days=30)


@st.composite
def _clients(draw: st.DrawFn) -> list[ClientContact]:
    count = draw(st.integers(min_value=0, max_value=60))
    clients = []
    for client_id in range(1, count + 1):
        created = NOW - timedelta(days=draw(st.integers(min_value=0, max_value=90)))
        contacted = draw(st.none() | st.integers(min_value=0, max_value=90))
        clients.append(
            ClientContact(
                client_id=client_id,
                name=f"Клиент {client_id}",
                manager_id=draw(st.sampled_from([None, 1, 2])),
                created_at=created,
                last_contact=None if contacted is None else NOW - timedelta(days=contacted),
            )
        )
    return draw(st.permutations(clients))


@settings(max_examples=150, deadline=None)
@given(_clients(), st.integers(min_value=1, max_value=7), st.integers(min_value=0, max_value=5))
def test_pages_give_what_the_whole_list_gives(
    clients: list[ClientContact], page: int, keep: int
) -> None:
    tally = ForgottenTally(NOW, AFTER, keep)
    for start in range(0, len(clients), page):
        tally.add(clients[start : start + page])
    whole = forgotten(clients, NOW, AFTER)
    for manager in (None, 1, 2):
        mine = [c for c in whole if c.manager_id == manager]
        assert tally.counts.get(manager, 0) == len(mine)
        assert tally.oldest(manager) == mine[:keep]


def test_a_count_only_tally_keeps_no_client() -> None:
    old = NOW - timedelta(days=40)
    tally = ForgottenTally(NOW, AFTER, keep=0)
    tally.add(
        [ClientContact(client_id=1, name="A", manager_id=1, created_at=old, last_contact=None)]
    )
    assert tally.counts == {1: 1} and tally.oldest(1) == []
