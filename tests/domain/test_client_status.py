"""Client statuses from sales: the pure rule on plain dates, and when a hand-set status stands."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.domain.client_status import (
    ClientStatus,
    Thresholds,
    hand_status_stands,
    parse_status,
    status_from_sales,
)
from hub.domain.errors import InvalidInput

RULES = Thresholds(new_for=timedelta(days=180), churned_after=timedelta(days=180))
TODAY = date(2026, 11, 25)
MOSCOW = ZoneInfo("Europe/Moscow")


def days_ago(*ages: int) -> list[date]:
    return [TODAY - timedelta(days=age) for age in ages]


@pytest.mark.parametrize(
    ("sales", "expected"),
    [
        ([], ClientStatus.POTENTIAL),
        (days_ago(0), ClientStatus.NEW),
        (days_ago(180), ClientStatus.NEW),
        (days_ago(181), ClientStatus.LAPSED),
        (days_ago(3, 3), ClientStatus.NEW),  # two sales on one day are one purchase
        (days_ago(400, 10), ClientStatus.REGULAR),
        (days_ago(10, 400), ClientStatus.REGULAR),  # any order
        (days_ago(400, 180), ClientStatus.REGULAR),
        (days_ago(400, 181), ClientStatus.CHURNED),
        (days_ago(900, 800, 700), ClientStatus.CHURNED),
        (days_ago(-5), ClientStatus.NEW),  # dated ahead: recent
    ],
)
def test_status_from_sale_dates(sales: list[date], expected: ClientStatus) -> None:
    assert status_from_sales(sales, TODAY, RULES) is expected


def test_thresholds_are_independent() -> None:
    short = Thresholds(new_for=timedelta(days=30), churned_after=timedelta(days=365))
    assert status_from_sales(days_ago(31), TODAY, short) is ClientStatus.LAPSED
    assert status_from_sales(days_ago(400, 300), TODAY, short) is ClientStatus.REGULAR


def test_the_set_is_closed_and_a_wrong_name_lists_the_allowed_ones() -> None:
    assert [s.value for s in ClientStatus] == ["potential", "new", "regular", "lapsed", "churned"]
    assert parse_status(" regular ") is ClientStatus.REGULAR
    with pytest.raises(InvalidInput) as caught:
        parse_status("vip")
    assert caught.value.field == "status"
    assert "potential, new, regular, lapsed, churned" in caught.value.message
    assert "'vip'" in caught.value.message


def test_a_status_set_by_hand_stands_until_a_sale_on_or_after_its_day() -> None:
    # 23:30 UTC on the 24th is already the 25th in Moscow.
    set_at = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert not hand_status_stands(None, TODAY, MOSCOW)
    assert hand_status_stands(set_at, None, MOSCOW)
    assert hand_status_stands(set_at, date(2026, 11, 24), MOSCOW)  # history filled in later
    assert not hand_status_stands(set_at, date(2026, 11, 25), MOSCOW)
    assert not hand_status_stands(set_at, date(2026, 12, 1), MOSCOW)
