"""``/audit``: who changed what and when — the audit log, newest first, a page at a time,
filtered by what was changed (its kind and id), by who changed it and by a period of days (in
the company's time zone); each entry's fields as ``before → after``.

For directors and admins: the log spans every team and the people, lists and tokens only admins
manage, so a manager or a supervisor gets the "not for your role" page (their own changes are
seen on the cards they concern)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web

from hub.bootstrap.core import SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.console.access import page, person
from hub.console.audit_view import Words, actor_name, changes
from hub.console.nav import DIRECTORS
from hub.console.render import language, render
from hub.console.texts import TEXTS, text
from hub.domain.audit import AuditEntity
from hub.domain.digits import record_id
from notifications.catalogue import Language
from storage.uow import UnitOfWork

PER_PAGE = 50
FILTERS = ("entity", "entity_id", "actor", "since", "until")


class _BadFilter(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _day(text: str, key: str) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise _BadFilter(key) from exc
    if not date(2000, 1, 1) <= day <= date(2999, 12, 31):
        raise _BadFilter(key)
    return day


def _query(request: web.Request) -> dict[str, Any]:
    """The filters of the page's query, checked (a _BadFilter names the one that is wrong)."""
    given = {key: request.query.get(key, "").strip() for key in FILTERS}
    if given["entity"] and given["entity"] not in set(AuditEntity):
        raise _BadFilter("entity")
    if len(given["entity_id"]) > 64 or len(given["actor"]) > 120:
        raise _BadFilter("entity_id" if len(given["entity_id"]) > 64 else "actor")
    before = request.query.get("before", "")
    before_id = record_id(before) if before else None
    if before and before_id is None:
        raise _BadFilter("before")
    zone = ZoneInfo(request.app[SETTINGS].company.timezone)
    since, until = _day(given["since"], "since"), _day(given["until"], "until")
    if since and until and until < since:
        raise _BadFilter("period")
    return {
        "shown": given,
        "entity": given["entity"] or None,
        "entity_id": given["entity_id"] or None,
        "actor": given["actor"] or None,
        "since": datetime.combine(since, time(), zone) if since else None,
        "until": datetime.combine(until + timedelta(days=1), time(), zone) if until else None,
        "before_id": before_id,
    }


# Fixed values shown by their words: a person's role, a card's, a case's or a number's status.
_NAMED = {
    "role": ("manager", "supervisor", "director", "admin"),
    "status": (
        *("potential", "new", "regular", "lapsed", "churned"),
        *("open", "escalated", "returned", "closed", "withdrawn", "resolved"),
    ),
}


def _named(lang: Language) -> dict[str, dict[str, str]]:
    return {
        key: {value: text(f"audit_value_{value}", lang) for value in values}
        for key, values in _NAMED.items()
    }


def _known(key: str, raw: str) -> tuple[str, bool]:
    """A text key to show, and whether it is one (else ``raw`` is shown as it is)."""
    return (key, True) if key in TEXTS else (raw, False)


async def audit(request: web.Request) -> web.StreamResponse:
    me = person(request)
    zone = ZoneInfo(request.app[SETTINGS].company.timezone)
    error = ""
    try:
        wanted = _query(request)
    except _BadFilter as exc:
        error = exc.key
        wanted = {"shown": {k: request.query.get(k, "")[:120] for k in FILTERS}}
    shown: dict[str, str] = wanted.pop("shown")
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        found = [] if error else await uow.audit.page(**wanted, limit=PER_PAGE)
        actors = await uow.audit.actors()
        names = {m.id: m.name for m in await uow.managers.list()}
    lang = language(request)
    words = Words(text("audit_yes", lang), text("audit_no", lang), zone, _named(lang))
    entries = [
        {
            "id": e.id,
            "at": e.at.astimezone(zone).strftime("%d.%m.%Y %H:%M:%S"),
            "actor": actor_name(e.actor, names),
            "action": _known(f"audit_action_{e.action}", e.action),
            "entity": _known(f"audit_entity_{e.entity}", e.entity),
            "entity_id": e.entity_id,
            "changes": [
                (_known(f"audit_field_{c.field}", c.field), c)
                for c in changes(e.before, e.after, names, words)
            ],
        }
        for e in found
    ]
    filters = {k: v for k, v in shown.items() if v}
    context = {
        "entries": entries,
        "filters": shown,
        "entities": sorted(AuditEntity),
        "actors": actors,
        "error": error,
        "older": (
            "/audit?" + urlencode({**filters, "before": entries[-1]["id"]})
            if len(entries) == PER_PAGE
            else ""
        ),
        "newest": "/audit?" + urlencode(filters) if "before" in request.query else "",
    }
    return render(request, "audit.html", context, person=me)


ROUTES = [web.get("/audit", page(audit, roles=DIRECTORS))]
