"""The schedule: jobs are functions of the moment, triggers say when; it starts and stops."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from hub.runtime.schedule import Job, Schedule
from hub.runtime.worker import Worker
from tests.support.clock import MOSCOW, TestClock, moment_id, week_of_moments
from tests.support.telegram_stub import until


@pytest.mark.parametrize("moment", week_of_moments(), ids=moment_id)
def test_next_fire_times_at_every_hour_that_matters(moment: datetime) -> None:
    async def nothing(now: datetime) -> None:
        return None

    schedule = Schedule(
        [
            Job("daily", CronTrigger(hour=9, minute=0, timezone=MOSCOW), nothing),
            Job("monday", CronTrigger(day_of_week="mon", hour=9, timezone=MOSCOW), nothing),
            Job("month end", CronTrigger(day="last", hour=23, minute=0, timezone=MOSCOW), nothing),
        ],
        TestClock(moment),
    )
    fires = schedule.next_fire_times(moment)
    daily, monday, month_end = fires["daily"], fires["monday"], fires["month end"]
    assert daily is not None and monday is not None and month_end is not None
    assert timedelta(0) <= daily - moment < timedelta(days=1)
    assert daily.astimezone(MOSCOW).hour == 9
    assert monday.astimezone(MOSCOW).weekday() == 0
    assert timedelta(0) <= monday - moment < timedelta(days=7)
    local_end = month_end.astimezone(MOSCOW)
    assert (local_end + timedelta(days=1)).day == 1  # the last day of its month
    assert timedelta(0) <= month_end - moment <= timedelta(days=31)


async def test_a_job_runs_at_start_for_the_clock_s_moment_and_when_woken() -> None:
    clock = TestClock(datetime(2026, 11, 29, 23, 59, tzinfo=MOSCOW))
    seen: list[datetime] = []

    async def job(now: datetime) -> None:
        seen.append(now)

    schedule = Schedule([Job("tick", IntervalTrigger(hours=1), job)], clock)
    schedule.start()
    try:
        await schedule.settle("tick")
        assert len(seen) == 1
        assert seen[0].astimezone(MOSCOW).strftime("%a %H:%M") == "Sun 23:59"
        clock.advance(timedelta(minutes=2))
        schedule.wake("tick")
        await schedule.settle("tick")
        assert seen[-1].astimezone(MOSCOW).strftime("%a %H:%M") == "Mon 00:01"
        assert schedule.job("tick").run is job
    finally:
        await schedule.stop()


async def test_the_triggers_wake_the_jobs_on_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """No hand on the schedule: APScheduler's interval trigger fires and the job runs; the
    wake-up happens on the event loop's thread, where the worker it wakes lives."""
    runs = 0
    woken_in: set[int] = set()
    wake = Worker.wake

    def recording_wake(worker: Worker) -> None:
        woken_in.add(threading.get_ident())
        wake(worker)

    monkeypatch.setattr(Worker, "wake", recording_wake)

    async def job(now: datetime) -> None:
        nonlocal runs
        runs += 1

    often = Job("often", IntervalTrigger(seconds=0.05), job, at_start=False)
    schedule = Schedule([often], TestClock())
    schedule.start()
    try:
        await until(lambda: runs >= 3)
    finally:
        await schedule.stop()
    assert woken_in == {threading.get_ident()}


async def test_a_job_is_busy_while_it_runs_and_idle_after() -> None:
    release = asyncio.Event()
    began = asyncio.Event()

    async def job(now: datetime) -> None:
        began.set()
        await release.wait()

    schedule = Schedule([Job("slow", IntervalTrigger(hours=1), job)], TestClock())
    assert schedule.names == ["slow"] and not schedule.busy("slow")  # not started
    schedule.start()
    try:
        assert schedule.busy("slow")  # woken at start, about to run
        await asyncio.wait_for(began.wait(), 10)
        assert schedule.busy("slow")
        release.set()
        await schedule.settle("slow")
        assert not schedule.busy("slow")
    finally:
        await schedule.stop()
    assert not schedule.busy("slow")
