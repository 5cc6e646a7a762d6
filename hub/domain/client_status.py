"""A client's status: a closed set, computed from his sales, today and two thresholds.

``potential`` has bought nothing yet; one purchase is ``new`` while it is recent and ``lapsed``
once it is old; two or more are ``regular`` while the last is recent and ``churned`` once it is
not. Purchases are counted by day: two sales on one day are one purchase.

A status may also be set by hand. It then stands until the facts change: a sale dated on or after
the day it was set (in the company's time zone) brings the computed status back; an older sale
(history filled in later) does not.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hub.domain.errors import InvalidInput


class ClientStatus(enum.StrEnum):
    POTENTIAL = "potential"
    NEW = "new"
    REGULAR = "regular"
    LAPSED = "lapsed"
    CHURNED = "churned"


ALLOWED = ", ".join(ClientStatus)


@dataclass(frozen=True, slots=True, kw_only=True)
class Thresholds:
    """One purchase within ``new_for`` is new, older lapsed; repeated purchases are regular
    while the last is within ``churned_after``, then churned."""

    new_for: timedelta
    churned_after: timedelta


def parse_status(text: str, *, field: str = "status") -> ClientStatus:
    """The status named ``text``; anything else is refused with the allowed values."""
    try:
        return ClientStatus(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{field} must be one of {ALLOWED} (not {text!r})", field=field
        ) from None


def status_of(
    purchases: int, last: date | None, today: date, thresholds: Thresholds
) -> ClientStatus:
    """The status of a client with ``purchases`` purchase days, the last of them ``last``."""
    if purchases <= 0 or last is None:
        return ClientStatus.POTENTIAL
    age = timedelta(days=(today - last).days)
    if purchases == 1:
        return ClientStatus.NEW if age <= thresholds.new_for else ClientStatus.LAPSED
    return ClientStatus.REGULAR if age <= thresholds.churned_after else ClientStatus.CHURNED


def status_from_sales(sold_on: Iterable[date], today: date, thresholds: Thresholds) -> ClientStatus:
    """The status of a client whose sales are dated ``sold_on`` (any order, repeats allowed)."""
    days = set(sold_on)
    return status_of(len(days), max(days, default=None), today, thresholds)


def hand_status_stands(set_at: datetime | None, last_sale: date | None, zone: ZoneInfo) -> bool:
    """Whether a status set by hand at ``set_at`` still stands, the newest sale being
    ``last_sale``: until a sale dated on or after that day (in ``zone``) arrives."""
    if set_at is None:
        return False
    return last_sale is None or last_sale < set_at.astimezone(zone).date()
