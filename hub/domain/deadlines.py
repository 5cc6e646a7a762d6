"""When an open callback case escalates: a pure function of the first miss and the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hub.domain.calendar import ORDINARY, Calendar
from hub.domain.hours import WorkingHours, parse_hours

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


@dataclass(frozen=True, slots=True)
class EscalationPolicy:
    after: timedelta
    hours: WorkingHours | None = None

    @classmethod
    def build(
        cls, after: timedelta, *, working_hours_only: bool, hours: str, zone: str
    ) -> EscalationPolicy:
        if not working_hours_only:
            return cls(after=after)
        return cls(after=after, hours=parse_hours(dict.fromkeys(WEEKDAYS, hours), zone))


def _next_minute_boundary(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)


def escalation_deadline(
    first_missed_at: datetime, policy: EscalationPolicy, calendar: Calendar = ORDINARY
) -> datetime:
    """The moment ``policy.after`` has passed since the first miss, counting only working
    time when the policy has hours: with 09:00–18:00 on weekdays, a miss on Friday at 17:00 and
    24 working hours counts 1 hour on Friday, 9 on Monday, 9 on Tuesday and the last 5 on
    Wednesday, so it escalates on Wednesday at 14:00. The ``calendar``'s holidays count no
    working time, its shortened days an hour less."""
    if policy.hours is None:
        return first_missed_at + policy.after
    hours = policy.hours
    zone: ZoneInfo = hours.zone
    remaining = policy.after
    cursor = first_missed_at.astimezone(zone)
    for _ in range(60 * 24 * 400):  # at most a year and a bit of minutes: always ends
        if remaining <= timedelta(0):
            break
        step_end = min(_next_minute_boundary(cursor), cursor + remaining)
        if hours.contains(cursor, calendar):
            remaining -= step_end - cursor
        cursor = step_end
    return cursor.astimezone(first_missed_at.tzinfo)
