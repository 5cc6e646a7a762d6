"""Whose records a person sees and changes — the same rule in the console and the API.

A manager his own (clients he is the personal manager of, cases he answers for, unknown numbers
whose calls he took or that were given to him); a supervisor his team's (his own and those of the
managers he supervises), and what nobody in particular answers for; directors and admins
everything. Only admins manage people, lists, tokens and settings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hub.domain.people import Role


@dataclass(frozen=True, slots=True)
class Scope:
    """What one person sees: ``team`` is the ids of the managers whose records are his (himself
    first; for a supervisor also his team's). ``everything`` for directors, admins and the
    company's own tokens."""

    role: Role
    person_id: int | None
    team: frozenset[int]

    @classmethod
    def whole(cls, role: Role = Role.ADMIN) -> Scope:
        """Everything (a director, an admin, a token of the company rather than of a person)."""
        return cls(role, None, frozenset())

    @property
    def everything(self) -> bool:
        return self.role in (Role.DIRECTOR, Role.ADMIN)

    @property
    def administers(self) -> bool:
        """May manage people, lists, tokens and settings."""
        return self.role == Role.ADMIN

    def owns(self, manager_id: int | None) -> bool:
        """Is a record whose responsible manager is ``manager_id`` (None: nobody) his?"""
        if self.everything:
            return True
        if manager_id is None:
            return self.role == Role.SUPERVISOR
        return manager_id in self.team

    def owns_any(self, manager_ids: Iterable[int | None]) -> bool:
        """Is a record that involved these managers his (a manager took one of its calls)?"""
        return self.everything or any(m is not None and m in self.team for m in manager_ids)

    def sees_client(self, manager_id: int | None) -> bool:
        """A client card: his personal manager decides (a card without one: supervisors too)."""
        return self.owns(manager_id)

    def sees_call(self, manager_id: int | None, client_manager_id: int | None) -> bool:
        """A call: the manager who took it (or answers for it) decides; a call without one (a
        missed call) is its client's personal manager's (``client_manager_id``), and only a call
        with neither is nobody's (seen by supervisors)."""
        return self.owns(manager_id if manager_id is not None else client_manager_id)

    def sees_unknown(self, manager_id: int | None, involved: Iterable[int | None]) -> bool:
        """An unknown number: given to him (or, given to nobody, seen by a supervisor), or one
        whose calls his team took."""
        return self.owns(manager_id) or self.owns_any(involved)


def team_of(role: Role, person_id: int, supervised: Iterable[int]) -> Scope:
    """The scope of a person: ``supervised`` are the ids of those whose supervisor he is."""
    members = {person_id}
    if role == Role.SUPERVISOR:
        members.update(supervised)
    return Scope(role, person_id, frozenset(members))
