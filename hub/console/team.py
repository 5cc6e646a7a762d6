"""``/team``: the people of the company — role, supervisor, extension, login, the channels he is
told through (``team_channels``), whether they work today (an absence and its substitute),
working hours — and for admins the links that bring a person in (a Telegram invite, a link to
set his console password), his absences and his channels.

Who is listed: directors and admins see everybody; a supervisor himself and those he
supervises; a manager the team he belongs to (his supervisor and those who share him) — whom to
ask, who stands in for whom. Only admins change anything (others see the page read only, and a
form of theirs is a 403): each change goes through the directory's services, audited with the
admin's name. A one-time link is shown once, on the page that made it, and is never stored."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from hub.bootstrap.commits import commit_directory
from hub.bootstrap.core import CLOCK, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.bootstrap.people import STAFF_BOT
from hub.console import team_channels as reach
from hub.console.access import field, page, person, see_other
from hub.console.client_forms import Refused, validated
from hub.console.nav import ADMINS
from hub.console.render import render
from hub.domain.digits import plain_digits, record_id
from hub.domain.errors import DozvonError
from hub.domain.hours import DAYS
from hub.domain.logins import password_link
from hub.domain.people import Role, invite_link
from hub.services.directory.commands import AbsenceCreate
from hub.services.directory.invites import issue_invite
from hub.services.directory.managers import add_absence, delete_absence
from hub.services.logins.links import issue_link
from hub.services.logins.sessions import Person
from notifications.bot.errors import BotUnavailable
from storage.models import Absence, Manager
from storage.uow import UnitOfWork

TIME = "%d.%m.%Y %H:%M"


def _last_moment(end: datetime) -> str:
    """How an absence's end reads: an end at midnight is the whole day before, «по 29.11.2026
    включительно» (written as the day alone); any other end, its day and time."""
    if end.time() == time():
        return (end - timedelta(days=1)).strftime("%d.%m.%Y")
    return end.strftime(TIME)


def members(me: Person, managers: Sequence[Manager]) -> list[Manager]:
    """The people ``me`` sees on the page, those still working first, by name."""
    role = Role(me.role)
    if role in (Role.DIRECTOR, Role.ADMIN):
        listed = list(managers)
    elif role == Role.SUPERVISOR:
        listed = [m for m in managers if me.id in (m.id, m.supervisor_id)]
    else:
        boss = next((m.supervisor_id for m in managers if m.id == me.id), None)
        listed = [
            m
            for m in managers
            if m.id == me.id or (boss is not None and boss in (m.id, m.supervisor_id))
        ]
    return sorted(listed, key=lambda m: (not m.active, m.name.casefold()))


def _zone(request: web.Request) -> ZoneInfo:
    return ZoneInfo(request.app[SETTINGS].company.timezone)


def _planned(absence: Absence, names: dict[int, str], zone: ZoneInfo) -> dict[str, Any]:
    """An absence not over yet, as the admin's list of them shows it (to cancel one)."""
    return {
        "id": absence.id,
        "starts": absence.starts_at.astimezone(zone).strftime("%d.%m.%Y"),
        "until": _last_moment(absence.ends_at.astimezone(zone)),
        "substitute": names.get(absence.substitute_id or 0),
    }


def _row(
    manager: Manager,
    names: dict[int, str],
    absences: Sequence[Absence],
    tomorrow: datetime,
    zone: ZoneInfo,
) -> Any:
    """A person's row: today's absence is the first not over yet that begins before the day
    ends; ``absences``: all of his not over yet, by start."""
    spec = manager.working_hours or {}
    absence = next((a for a in absences if a.starts_at < tomorrow), None)
    return {
        "id": manager.id,
        "name": manager.name,
        "role": manager.role,
        "supervisor": names.get(manager.supervisor_id or 0),
        "extension": manager.extension,
        "login": manager.login,
        "channels": reach.shown(manager),
        "unused": reach.unused(manager),
        "reach": reach.form_values(manager),
        "active": manager.active,
        "absence": None
        if absence is None
        else {
            "until": _last_moment(absence.ends_at.astimezone(zone)),
            "substitute": names.get(absence.substitute_id or 0),
        },
        "planned": [_planned(a, names, zone) for a in absences],
        "hours": [(day, str(spec[day])) for day in DAYS if spec.get(day)],
        "timezone": manager.timezone,
    }


async def _rows(request: web.Request, uow: UnitOfWork, managers: Sequence[Manager]) -> list[Any]:
    """The rows of the people the person sees; today's absence is one not over yet that
    begins before the day ends (in the company's time zone)."""
    now: datetime = request.app[CLOCK].now()
    zone = _zone(request)
    tomorrow = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(0), zone)
    planned: dict[int, list[Absence]] = {}
    for absence in sorted(await uow.managers.absences_touching(now), key=lambda a: a.starts_at):
        planned.setdefault(absence.manager_id, []).append(absence)
    names = {m.id: m.name for m in managers}
    return [
        _row(m, names, planned.get(m.id, ()), tomorrow, zone)
        for m in members(person(request), managers)
    ]


async def _page(
    request: web.Request,
    *,
    error: Refused | None = None,
    made: dict[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    me = person(request)
    async with UnitOfWork(request.app[SESSIONS], read_only=True) as uow:
        managers = list(await uow.managers.list())
        rows = await _rows(request, uow, managers)
        saved = await _saved_absence(request, uow, managers)
    wanted = request.query.get("channels", "") if me.role == Role.ADMIN else ""
    called_off = request.query.get("cancelled", "") if me.role == Role.ADMIN else ""
    active = sorted((m for m in managers if m.active), key=lambda m: m.name.casefold())
    context = {
        "rows": rows,
        "admin": me.role == Role.ADMIN,
        "substitutes": [(m.id, m.name) for m in active],
        "today": request.app[CLOCK].now().astimezone(_zone(request)).date().isoformat(),
        "error": error,
        "made": made,
        "saved": saved,
        "channels_saved": reach.saved(wanted, managers),
        "cancelled": next((m.name for m in managers if str(m.id) == called_off), None),
    }
    return render(request, "team.html", context, person=me, status=status)


async def _saved_absence(
    request: web.Request, uow: UnitOfWork, managers: Sequence[Manager]
) -> dict[str, str] | None:
    """The absence just recorded (``?absence=<id>`` after the form), as the page confirms it."""
    wanted = request.query.get("absence", "")
    if person(request).role != Role.ADMIN or not plain_digits(wanted) or len(wanted) > 9:
        return None
    absence = await uow.managers.absence(int(wanted))
    if absence is None:
        return None
    zone = _zone(request)
    names = {m.id: m.name for m in managers}
    return {
        "name": names.get(absence.manager_id, ""),
        "starts": absence.starts_at.astimezone(zone).strftime(TIME),
        "ends": absence.ends_at.astimezone(zone).strftime(TIME),
    }


async def team(request: web.Request) -> web.StreamResponse:
    return await _page(request)


async def _working(uow: UnitOfWork, manager_id: int) -> Manager:
    """The person a form is about: he exists and is active, or the form is refused."""
    found = await uow.managers.get(manager_id) if manager_id <= 2**31 - 1 else None
    if found is None:
        raise Refused("team_error_missing")
    if not found.active:
        raise Refused("team_error_inactive", name=found.name)
    return found


def _wanted(request: web.Request) -> int:
    """The person the form is about (0, which is nobody, for an id that cannot be one)."""
    return record_id(request.match_info["id"]) or 0


Issue = Callable[[UnitOfWork, Manager], Awaitable[tuple[str, datetime]]]


async def _one_time(request: web.Request, kind: str, issue: Issue) -> web.Response:
    """The page with the one-time link ``issue`` makes for the person (and when it expires)."""
    try:
        async with UnitOfWork(request.app[SESSIONS]) as uow:
            manager = await _working(uow, _wanted(request))
            link, expires = await issue(uow, manager)
            await uow.commit()
    except Refused as refused:
        return await _page(request, error=refused, status=400)
    until = expires.astimezone(_zone(request)).strftime(TIME)
    made = {"kind": kind, "name": manager.name, "link": link, "until": until}
    return await _page(request, made=made)


async def invite(request: web.Request) -> web.StreamResponse:
    """A one-time Telegram invite for the person (``hub/services/directory/invites.py``)."""
    me, now = person(request), request.app[CLOCK].now()
    bot = request.app.get(STAFF_BOT)
    if bot is None:
        return await _page(request, error=Refused("team_error_no_bot"), status=400)
    try:
        username = await bot.username()
    except BotUnavailable:
        return await _page(request, error=Refused("team_error_bot_down"), status=503)
    ttl = request.app[SETTINGS].telegram.invite_ttl

    async def issue(uow: UnitOfWork, manager: Manager) -> tuple[str, datetime]:
        code, made = await issue_invite(uow, manager.id, actor=me.name, ttl=ttl, now=now)
        return invite_link(username, code), made.expires_at

    return await _one_time(request, "invite", issue)


async def password(request: web.Request) -> web.StreamResponse:
    """A one-time link for the person to set his console password, with a login if given."""
    me, now = person(request), request.app[CLOCK].now()
    login = field(await request.post(), "login").strip()[:100] or None
    base = request.app[SETTINGS].http.public_url or str(request.url.origin())

    async def issue(uow: UnitOfWork, manager: Manager) -> tuple[str, datetime]:
        try:
            code, link = await issue_link(uow, manager.id, actor=me.name, now=now, login=login)
        except DozvonError as exc:
            no_login = "neither a login" in exc.message
            raise Refused("team_error_no_login" if no_login else "team_error_login") from exc
        return password_link(base, code), link.expires_at

    return await _one_time(request, "password", issue)


def _days(posted: Any, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The absence's whole days, from the start of the first to the end of the last."""
    try:
        first = date.fromisoformat(field(posted, "starts").strip())
        last = date.fromisoformat(field(posted, "ends").strip())
    except ValueError as exc:
        raise Refused("team_error_dates") from exc
    if last < first:
        raise Refused("team_error_dates")
    starts = datetime.combine(first, time(0), zone)
    return starts, datetime.combine(last + timedelta(days=1), time(0), zone)


async def absence(request: web.Request) -> web.StreamResponse:
    """An absence of whole days, with the person who stands in (routing sees it at once)."""
    me = person(request)
    posted = await request.post()
    chosen = field(posted, "substitute_id").strip()
    try:
        starts, ends = _days(posted, _zone(request))
        if chosen and not (plain_digits(chosen) and len(chosen) <= 9):
            raise Refused("team_error_substitute")
        async with UnitOfWork(request.app[SESSIONS]) as uow:
            manager = await _working(uow, _wanted(request))
            substitute = int(chosen) if chosen else None
            if substitute is not None:
                stand_in = await uow.managers.get(substitute)
                if stand_in is None or not stand_in.active or stand_in.id == manager.id:
                    raise Refused("team_error_substitute")
            body = validated(
                AbsenceCreate,
                {
                    "starts_at": starts.isoformat(),
                    "ends_at": ends.isoformat(),
                    "substitute_id": substitute,
                    "note": field(posted, "note"),
                },
            )
            made = await add_absence(uow, manager.id, body, actor=me.name)
            await commit_directory(request.app, uow, actor=me.name)
    except Refused as refused:
        if refused.key == "clients_error_form":
            refused = Refused("team_error_note")
        return await _page(request, error=refused, status=400)
    return see_other(f"/team?absence={made.id}")


async def cancel_absence(request: web.Request) -> web.StreamResponse:
    """An absence called off (or cut short: it is removed whole), audited; routing sees the
    person back at once."""
    me = person(request)
    async with UnitOfWork(request.app[SESSIONS]) as uow:
        absence = await uow.managers.absence(_wanted(request))
        if absence is not None:
            manager_id = absence.manager_id
            await delete_absence(uow, absence.id, actor=me.name)
            await commit_directory(request.app, uow, actor=me.name)
    if absence is None:
        return await _page(request, error=Refused("team_error_no_absence"), status=404)
    return see_other(f"/team?cancelled={manager_id}")


async def channels(request: web.Request) -> web.StreamResponse:
    """A person's e-mail address, MAX user id and the order of his channels (audited)."""
    me = person(request)
    try:
        body = reach.read(await request.post())
        async with UnitOfWork(request.app[SESSIONS]) as uow:
            manager = await reach.save(
                uow,
                _wanted(request),
                body,
                actor=me.name,
                region=request.app[SETTINGS].phone.default_region,
            )
            await commit_directory(request.app, uow, actor=me.name)
    except Refused as refused:
        return await _page(request, error=refused, status=400)
    return see_other(f"/team?channels={manager.id}")


ROUTES = [
    web.get("/team", page(team)),
    web.post(r"/team/{id:\d+}/invite", page(invite, roles=ADMINS)),
    web.post(r"/team/{id:\d+}/password-link", page(password, roles=ADMINS)),
    web.post(r"/team/{id:\d+}/absence", page(absence, roles=ADMINS)),
    web.post(r"/team/{id:\d+}/channels", page(channels, roles=ADMINS)),
    web.post(r"/team/absences/{id:\d+}/cancel", page(cancel_absence, roles=ADMINS)),
]
