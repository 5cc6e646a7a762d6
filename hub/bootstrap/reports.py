"""The reports' periodic jobs: the month-end report and the Monday lists of forgotten clients.

Each job is a plain function of the moment (``Job.run(now)``) that decides by itself whether
anything is due; the triggers only wake it. The month-end report with ``unregistered_day =
"last-working"`` wakes every day at its time, and the job asks the calendar
(``hub/domain/month.py``) whether today is the day; with a day of the month it wakes on that day.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from config.settings import Settings
from hub.domain.calendar import ORDINARY, Calendar
from hub.runtime.schedule import Job
from hub.services.reports.forgotten_list import ForgottenLists
from hub.services.reports.month_end import MonthEndReports
from storage.db import SessionFactory

MONTH_END_REPORT = "month-end report"
FORGOTTEN_CLIENTS = "forgotten clients"


def report_jobs(
    settings: Settings,
    factory: SessionFactory,
    *,
    can_call: Callable[[], bool],
    link: Callable[[str], str] = str,
    calendar: Callable[[], Calendar] = lambda: ORDINARY,
) -> list[Job]:
    zone = ZoneInfo(settings.company.timezone)
    language = settings.telegram.language
    reports = settings.reports
    at = reports.unregistered_time
    day = reports.unregistered_day
    month_end = MonthEndReports(
        factory,
        day=day,
        at=at,
        zone=zone,
        language=language,
        link=link,
        working=lambda day: calendar().is_working_day(day),
    )
    digest_at = settings.digest.time
    lists = ForgottenLists(
        factory,
        at=digest_at,
        zone=zone,
        after=settings.clients.forgotten_after,
        language=language,
        can_call=can_call,
    )
    on_day = {} if day == "last-working" else {"day": day}
    return [
        Job(
            MONTH_END_REPORT,
            CronTrigger(hour=at.hour, minute=at.minute, timezone=zone, **on_day),
            month_end.run,
        ),
        Job(
            FORGOTTEN_CLIENTS,
            CronTrigger(
                day_of_week="mon", hour=digest_at.hour, minute=digest_at.minute, timezone=zone
            ),
            lists.run,
        ),
    ]
