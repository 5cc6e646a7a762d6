"""Small helpers every handler uses: read a body into a model, read query values, answer JSON."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from urllib.parse import unquote, unquote_to_bytes
from zoneinfo import ZoneInfo

import orjson
from aiohttp import web
from pydantic import BaseModel, ValidationError

from hub.bootstrap.auth import PRINCIPAL
from hub.bootstrap.commits import commit_directory as commit
from hub.bootstrap.core import NORMALIZER, SETTINGS
from hub.bootstrap.database import SESSIONS
from hub.domain.cases import CaseFact
from hub.domain.digits import plain_digits
from hub.domain.errors import InvalidInput
from hub.domain.phone import PhoneKind
from hub.domain.text import control_character
from hub.services.auth import Principal
from storage.uow import UnitOfWork

# The query string as sent, parsed once for a request (``_raw_query``).
_RAW_QUERY: web.RequestKey[dict[str | None, str]] = web.RequestKey("raw_query")

Model = TypeVar("Model", bound=BaseModel)
MAX_LIMIT = 1000
ALL = "all"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("function-after", "tagged-union") or "[" in str(part):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def validation_error(exc: ValidationError) -> InvalidInput:
    first = exc.errors()[0]
    field = field_path(first["loc"])
    message = first["msg"]
    if first["type"] == "value_error":
        message = message.removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    if first["type"] == "json_invalid":
        return InvalidInput(f"body is not valid JSON: {first['msg']}", field="body")
    return InvalidInput(f"{field}: {message}", field=field)


async def read_model(request: web.Request, model: type[Model]) -> Model:
    raw = await request.read()
    if not raw.strip():
        raise InvalidInput("the request body is empty; send a JSON object", field="body")
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise validation_error(exc) from exc


def reply(body: Any, status: int = 200) -> web.Response:
    return encoded(orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS), status)


def encoded(body: bytes, status: int = 200) -> web.Response:
    """A JSON answer already encoded."""
    return web.Response(body=body, status=status, content_type="application/json")


def principal(request: web.Request) -> Principal:
    return request[PRINCIPAL]


def actor(request: web.Request) -> str:
    return principal(request).name


def region(request: web.Request) -> str:
    return request.app[SETTINGS].phone.default_region


def unit_of_work(request: web.Request) -> UnitOfWork:
    """The request's unit of work; a GET only reads."""
    return UnitOfWork(request.app[SESSIONS], read_only=request.method in ("GET", "HEAD"))


async def commit_directory(
    request: web.Request,
    uow: UnitOfWork,
    *,
    settles: Mapping[str, str] | None = None,
    handed: Sequence[CaseFact] = (),
) -> None:
    """Commit a directory change by the caller (``hub/bootstrap/commits.py``): a number it
    would take from outside the token's scope is refused, nothing committed."""
    caller = principal(request)
    await commit(
        request.app, uow, actor=caller.name, settles=settles, scope=caller.scope, handed=handed
    )


def path_int(request: web.Request, name: str) -> int:
    text = request.match_info[name]
    if not plain_digits(text) or len(text) > 10 or int(text) < 1 or int(text) > 2**31 - 1:
        raise InvalidInput(f"{name} must be a positive integer", field=name)
    return int(text)


def query_int(
    request: web.Request, name: str, default: int | None = None, *, lo: int = 0, hi: int = 2**31 - 1
) -> int | None:
    text = request.query.get(name)
    if text is None or text == "":
        return default
    if not plain_digits(text) or len(text) > 10 or not lo <= int(text) <= hi:
        raise InvalidInput(f"{name} must be an integer from {lo} to {hi}", field=name)
    return int(text)


def query_limit(request: web.Request) -> int:
    limit = query_int(request, "limit", 100, lo=1, hi=MAX_LIMIT)
    assert limit is not None
    return limit


def query_time(request: web.Request, name: str, *, until: bool = False) -> datetime | None:
    """A moment: an ISO-8601 time with its offset, or a day (``2026-11-29``) in the company's
    time zone — its start, or for an ``until`` (an exclusive bound) the start of the next day,
    so that the whole day is in."""
    text = request.query.get(name)
    if not text:
        return None
    if _DAY.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError as exc:
            raise InvalidInput(f"{name}: {text} is not a day of the calendar", field=name) from exc
        if until:
            day += timedelta(days=1)
        zone = ZoneInfo(request.app[SETTINGS].company.timezone)
        return datetime.combine(day, time(0), tzinfo=zone)
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(
            f"{name} must be a day (YYYY-MM-DD) or an ISO-8601 time", field=name
        ) from exc
    if value.tzinfo is None:
        raise InvalidInput(f"{name} must include a UTC offset (e.g. +03:00 or Z)", field=name)
    return value


def query_phone(request: web.Request, name: str) -> str | None:
    """A phone number in any format, as E.164 (read with the configured region)."""
    raw = request.query.get(name)
    if not raw:
        return None
    number = request.app[NORMALIZER](raw)
    if number.kind is PhoneKind.INVALID:
        raise InvalidInput(f"{raw!r} is not a phone number", field=name)
    return number.value


def query_choice(request: web.Request, name: str, choices: frozenset[str]) -> str | None:
    text = request.query.get(name)
    if not text:
        return None
    if text not in choices:
        raise InvalidInput(f"{name} must be one of {', '.join(sorted(choices))}", field=name)
    return text


def query_status(request: web.Request, choices: frozenset[str]) -> str | None:
    """A ``status`` filter: one of ``choices``, or ``all`` (the same as leaving it out)."""
    found = query_choice(request, "status", choices | {ALL})
    return None if found == ALL else found


def check_query(request: web.Request, known: frozenset[str]) -> None:
    """Refuse a query parameter the endpoint does not take: a typo would otherwise be ignored,
    and the answer look right."""
    for name in _raw_query(request):
        if name is None:
            raise InvalidInput("the query string is not percent-encoded UTF-8", field="query")
        if name not in known:
            takes = ", ".join(sorted(known)) if known else "none"
            raise InvalidInput(
                f"unknown query parameter {name!r}; this endpoint takes: {takes}", field=name
            )


def query_value(request: web.Request, name: str) -> str | None:
    """A query parameter's first value, decoded as ``request.query`` decodes it (None when it is
    absent), read from the query string as the check read it: a hot path's one parse
    (``/api/v1/route``). As aiohttp does, a stray ``%`` stays itself and bytes that are not
    UTF-8 become U+FFFD: a PBX's odd caller id gets an answer, not a refusal."""
    raw = _raw_query(request).get(name)
    if raw is None:
        return None
    value = query_part(raw)
    if value is None:
        return unquote(raw.replace("+", " "), errors="replace")
    return value


def query_text(request: web.Request, name: str) -> str | None:
    """A free-text query value (a part of a name, an id), None when absent or empty. It must be
    percent-encoded UTF-8 (aiohttp would read a stray ``%`` as itself and bytes that are not
    UTF-8 as U+FFFD, and search for those) without control characters (PostgreSQL refuses a
    NUL outright)."""
    raw = _raw_query(request).get(name)
    if not raw:
        return None
    value = query_part(raw)
    if value is None:
        raise InvalidInput(f"{name} is not percent-encoded UTF-8", field=name)
    found = control_character(value)
    if found is not None:
        raise InvalidInput(f"{name}: a control character ({found}) is not allowed", field=name)
    return value


def _raw_query(request: web.Request) -> dict[str | None, str]:
    """The query string's names (None for one that is not percent-encoded UTF-8), each with its
    first value as sent: parsed once for a request, whoever asks first."""
    known: dict[str | None, str] | None = request.get(_RAW_QUERY)
    if known is not None:
        return known
    found: dict[str | None, str] = {}
    for part in request.rel_url.raw_query_string.split("&"):
        if part:
            raw_name, _, raw_value = part.partition("=")
            found.setdefault(query_part(raw_name), raw_value)
    request[_RAW_QUERY] = found
    return found


def query_part(raw: str) -> str | None:
    """A percent-encoded part of a query string (``+`` is a space), or None when it is not
    percent-encoded UTF-8 (a stray ``%``, bytes that are not UTF-8)."""
    if raw.isascii() and "%" not in raw and "+" not in raw:
        return raw  # nothing to decode: most names and values (``from``, ``limit``, digits)
    if _ESCAPE.search(raw):
        return None
    try:
        return unquote_to_bytes(raw.replace("+", " ")).decode("utf-8")
    except UnicodeError:
        return None


def page(
    items: list[dict[str, Any]], limit: int, cursor: str, *, resume: int | None = None
) -> dict[str, Any]:
    """A page of items with the cursor to ask for the next one (absent on the last page);
    ``resume``: where the next page starts when this one stopped short of ``limit`` before the
    end (a scan bounded for a person's scope, ``hub/api/scoped.py``)."""
    body: dict[str, Any] = {"items": items}
    if resume is not None:
        body["next"] = {cursor: resume}
    elif len(items) == limit and items:
        body["next"] = {cursor: items[-1]["id"]}
    return body
