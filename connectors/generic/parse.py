"""Parse the generic hook's JSON (one update or a list) into hub call updates."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

from connectors.errors import PayloadError
from hub.domain.calls import CallState, CallUpdate, Direction, EndReason
from hub.domain.digits import plain_digits
from hub.domain.phone import Normalizer

MAX_UPDATES = 500
_Text = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class GenericCallUpdate(BaseModel):
    """One call update as the generic hook accepts it."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    event_id: _Text
    call_id: _Text
    direction: Literal["inbound", "outbound", "internal"]
    state: Literal["ringing", "answered", "ended"]
    from_: Annotated[str, StringConstraints(max_length=128)] = Field(alias="from")
    to: Annotated[str, StringConstraints(max_length=128)]
    extension: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z*#]{1,20}$")] | None = None
    at: datetime | None = None
    recording_url: Annotated[str, StringConstraints(max_length=2000)] | None = None
    reason: Literal["normal", "no_answer", "busy", "cancel", "failed", "unavailable"] | None = None
    leg: _Text | None = None


_BODY: TypeAdapter[GenericCallUpdate | list[GenericCallUpdate]] = TypeAdapter(
    GenericCallUpdate
    | Annotated[list[GenericCallUpdate], Field(min_length=1, max_length=MAX_UPDATES)]
)


def _field(loc: tuple[int | str, ...]) -> str:
    # Drop the union branch names pydantic puts in the path.
    parts = [str(p) for p in loc if p not in ("GenericCallUpdate", "list[GenericCallUpdate]")]
    path = ""
    for part in parts:
        path += f"[{part}]" if plain_digits(part) else (f".{part}" if path else part)
    return path.replace("from_", "from") or "body"


def _where(index: int | None, name: str) -> str:
    return name if index is None else f"[{index}].{name}"


def _checked_at(
    at: datetime, where: str, *, now: datetime, max_skew: timedelta, max_age: timedelta
) -> datetime:
    if at > now + max_skew:
        raise PayloadError(
            f"{where}: more than {max_skew} ahead of the service's clock", field=where
        )
    if at < now - max_age:
        raise PayloadError(f"{where}: older than {max_age}", field=where)
    return at


def _checked_url(url: str, where: str) -> str:
    if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc:
        raise PayloadError(f"{where}: must be an http(s) URL", field=where)
    return url


def parse(
    body: bytes,
    *,
    connector: str,
    normalize: Normalizer,
    local_zone: tzinfo,
    now: datetime,
    max_skew: timedelta,
    max_age: timedelta,
) -> list[CallUpdate]:
    """Validate and translate; raises PayloadError naming the first bad field.

    ``now`` is the app's clock: an ``at`` further ahead of it than ``max_skew``, or older than
    ``max_age``, is refused (a sender's clock gone wrong would put calls in the wrong day, open
    cases that escalate at once, or none at all)."""
    try:
        parsed = _BODY.validate_json(body)
    except ValidationError as exc:
        errors = exc.errors()
        # With a union, report the branch that matches the body's shape.
        is_list = body.lstrip()[:1] == b"["
        branch = [e for e in errors if (("list" in str(e["loc"][:1])) == is_list)] or errors
        first = branch[0]
        message = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
        raise PayloadError(
            f"{_field(first['loc'])}: {message}", field=_field(first["loc"])
        ) from exc
    items = parsed if isinstance(parsed, list) else [parsed]
    updates: list[CallUpdate] = []
    for index, item in enumerate(items):
        position = index if isinstance(parsed, list) else None
        at = item.at
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=local_zone)
        if at is not None:
            at = _checked_at(
                at, _where(position, "at"), now=now, max_skew=max_skew, max_age=max_age
            )
        if item.recording_url is not None:
            _checked_url(item.recording_url, _where(position, "recording_url"))
        updates.append(
            CallUpdate(
                connector=connector,
                call_id=item.call_id,
                event_id=item.event_id,
                direction=Direction(item.direction),
                state=CallState(item.state),
                caller=normalize(item.from_),
                callee=normalize(item.to),
                extension=item.extension,
                leg=item.leg,
                at=at,
                reason=EndReason(item.reason) if item.reason else None,
                recording_url=item.recording_url,
            )
        )
    return updates
