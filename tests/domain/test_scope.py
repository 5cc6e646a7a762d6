"""Whose records a person sees: his own, his team's, everything."""

from __future__ import annotations

from hub.domain.people import Role
from hub.domain.scope import Scope, team_of


def test_a_manager_sees_his_own_clients_only() -> None:
    me = team_of(Role.MANAGER, 1, [5, 6])
    assert me.team == frozenset({1})
    assert me.sees_client(1)
    assert not me.sees_client(2)
    assert not me.sees_client(None)
    assert not me.administers


def test_a_supervisor_sees_his_team_and_what_nobody_answers_for() -> None:
    boss = team_of(Role.SUPERVISOR, 10, [1, 2])
    assert boss.sees_client(10) and boss.sees_client(1) and boss.sees_client(2)
    assert boss.sees_client(None)
    assert not boss.sees_client(3)


def test_directors_and_admins_see_everything_only_admins_administer() -> None:
    director = team_of(Role.DIRECTOR, 7, [])
    assert director.sees_client(99) and director.sees_client(None)
    assert not director.administers
    assert Scope.whole().administers and Scope.whole().sees_client(3)


def test_an_unknown_number_is_seen_by_whom_it_was_given_or_whose_team_took_its_calls() -> None:
    me = team_of(Role.MANAGER, 1, [])
    assert me.sees_unknown(None, [3, 1])
    assert me.sees_unknown(1, [])
    assert not me.sees_unknown(None, [2, None])
    assert me.sees_unknown(2, [1])  # given to another, but he took one of its calls
    boss = team_of(Role.SUPERVISOR, 10, [1])
    assert boss.sees_unknown(None, [])
    assert not boss.sees_unknown(4, [4])


def test_a_call_is_its_managers_else_its_clients_managers_else_nobodys() -> None:
    me = team_of(Role.MANAGER, 1, [])
    boss = team_of(Role.SUPERVISOR, 10, [1])
    stranger = team_of(Role.SUPERVISOR, 20, [2])
    assert me.sees_call(1, None) and me.sees_call(1, 2)
    assert not me.sees_call(2, 1)  # another took it: his, though the client is mine
    # A missed call (taken by nobody) is its client's personal manager's.
    assert me.sees_call(None, 1) and boss.sees_call(None, 1)
    assert not stranger.sees_call(None, 1)
    # Neither a manager nor a client's: nobody's, which supervisors oversee.
    assert boss.sees_call(None, None) and stranger.sees_call(None, None)
    assert not me.sees_call(None, None)
    assert team_of(Role.DIRECTOR, 7, []).sees_call(None, 1)
