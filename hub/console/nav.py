"""The console's sections, in the order of the navigation bar: a text key and a path each.

A section's page is added by its own module (see ``hub/console/__init__.py``); a link here may
lead to a page still to come."""

from __future__ import annotations

from dataclasses import dataclass

from hub.domain.people import Role

# Who some sections are for; their pages refuse everybody else (``access.page(roles=...)``).
ADMINS = frozenset({Role.ADMIN})
DIRECTORS = frozenset({Role.DIRECTOR, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # its name in hub/console/texts/
    path: str
    # Who the section is for (None: everybody); the menu shows a person only his.
    roles: frozenset[Role] | None = None

    def for_role(self, role: str) -> bool:
        return self.roles is None or role in self.roles


def sections_for(role: str) -> tuple[Section, ...]:
    """The sections a person of ``role`` may open, in the menu's order."""
    return tuple(section for section in SECTIONS if section.for_role(role))


SECTIONS: tuple[Section, ...] = (
    Section("nav_cases", "/cases"),
    Section("nav_unknown", "/unknown"),
    Section("nav_clients", "/clients"),
    Section("nav_team", "/team"),
    Section("nav_reports", "/reports"),
    Section("nav_import", "/import", ADMINS),
    Section("nav_audit", "/audit", DIRECTORS),
    Section("nav_api", "/api/docs"),
    Section("tokens_nav", "/tokens"),
)
