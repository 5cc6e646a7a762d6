"""The charts as SVG (parsed back) and PNG (read back), in Russian and English, empty or full."""

from __future__ import annotations

import struct
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from hub.domain.chart_figures import DayCount, ManagerCalls, Wait
from notifications.catalogue import Language, text
from notifications.charts import (
    Chart,
    callback_waits,
    calls_per_manager,
    digest_chart,
    inline_svg,
    missed_and_returned,
)

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WEEK = [
    DayCount(day=date(2026, 11, 16) + timedelta(days=n), missed=n % 3, returned=n % 2)
    for n in range(7)
]
MONTH = [
    DayCount(day=date(2026, 11, 1) + timedelta(days=n), missed=n, returned=0) for n in range(30)
]
WAITS = {Wait.SOON: 4, Wait.SAME_DAY: 2, Wait.LATER: 1, Wait.NOT_YET: 3}
TEAM = [
    ManagerCalls(name="Иван Петров", answered=12, outbound=7, missed=2),
    ManagerCalls(
        name="Ольга Константиновна Смирнова-Преображенская", answered=3, outbound=9, missed=0
    ),
    ManagerCalls(name="Пётр", answered=0, outbound=0, missed=1),
]

CHARTS: dict[str, Callable[[Language], Chart]] = {
    "per-day": lambda language: missed_and_returned(WEEK, language),
    "per-day month": lambda language: missed_and_returned(MONTH, language),
    "per-day empty": lambda language: missed_and_returned([], language),
    "per-day none missed": lambda language: missed_and_returned(
        [DayCount(day=date(2026, 11, 16), missed=0, returned=0)], language
    ),
    "waits": lambda language: callback_waits(WAITS, language),
    "waits empty": lambda language: callback_waits({}, language),
    "per-manager": lambda language: calls_per_manager(TEAM, language),
    "per-manager empty": lambda language: calls_per_manager([], language),
    "digest": lambda language: digest_chart(WEEK, WAITS, language),
    "digest empty": lambda language: digest_chart([], dict.fromkeys(Wait, 0), language),
}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (the SVG our own code drew, not outside input)


def _png_size(image: bytes) -> tuple[int, int]:
    assert image.startswith(PNG_SIGNATURE)
    assert image[12:16] == b"IHDR"
    width, height = struct.unpack(">II", image[16:24])
    return width, height


def _drawn(make: Callable[[Language], Chart], language: Language) -> Chart:
    """The chart, drawn with every glyph found (matplotlib warns of a missing one)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        chart = make(language)
        chart.svg()
        chart.png()
    return chart


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("name", list(CHARTS))
def test_svg_is_an_inline_element(name: str, language: Language) -> None:
    chart = _drawn(CHARTS[name], language)
    svg = chart.svg()
    assert svg.startswith("<svg ")  # no XML declaration, no doctype: fit to sit in a page
    assert "<!DOCTYPE" not in svg
    assert "<?xml" not in svg
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("id") == chart.name
    assert root.get("role") == "img"
    assert root.get("aria-label") == chart.title
    assert root.get("width", "").endswith("pt")
    assert root.get("height", "").endswith("pt")
    assert root.get("viewBox")
    # Every id is the chart's own, and every reference points at one of them.
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert all(i == chart.name or str(i).startswith(f"{chart.name}-") for i in ids)
    assert len(root.findall(f".//{SVG}path")) > 10
    for element in root.iter():
        reference = element.get("{http://www.w3.org/1999/xlink}href")
        if reference is not None:
            assert reference.removeprefix("#") in ids
    style = root.find(f"{SVG}defs/{SVG}style")
    assert style is None or f"#{chart.name} *" in (style.text or "")


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("name", list(CHARTS))
def test_png_is_an_image_of_a_sensible_size(name: str, language: Language) -> None:
    image = _drawn(CHARTS[name], language).png()
    width, height = _png_size(image)
    assert 600 <= width <= 2000
    assert 250 <= height <= 2000
    assert 5_000 < len(image) < 1_000_000


@pytest.mark.parametrize("language", ["ru", "en"])
def test_titles_in_the_catalogue_language(language: Language) -> None:
    assert missed_and_returned(WEEK, language).title == text("chart_per_day", language)
    assert callback_waits(WAITS, language).title == text("chart_waits", language)
    assert calls_per_manager(TEAM, language).title == text("chart_per_manager", language)
    assert digest_chart(WEEK, WAITS, language).title.startswith(text("chart_per_day", language))


def test_russian_by_default_in_the_catalogue() -> None:
    assert missed_and_returned(WEEK, "ru").title == "Пропущенные и перезвоны по дням"
    assert callback_waits(WAITS, "en").title == "Time to callback"


def test_two_charts_on_one_page_share_no_id() -> None:
    first = _parse(missed_and_returned(WEEK, "ru").svg())
    second = _parse(callback_waits(WAITS, "ru").svg())

    def ids(root: ET.Element) -> set[str]:
        return {str(element.get("id")) for element in root.iter() if element.get("id")}

    assert ids(first) and ids(second)
    assert not ids(first) & ids(second)


def test_inline_svg_keeps_references_straight() -> None:
    document = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg">'
        "<style>*{stroke-linejoin: round}</style>"
        '<clipPath id="p1"/><g id="a" clip-path="url(#p1)"><use xlink:href="#a"/></g></svg>'
    )
    assert inline_svg(document, "c", 'a "title"') == (
        '<svg id="c" role="img" aria-label=\'a "title"\' xmlns="http://www.w3.org/2000/svg">'
        "<style>#c *{stroke-linejoin: round}</style>"
        '<clipPath id="c-p1"/><g id="c-a" clip-path="url(#c-p1)"><use xlink:href="#c-a"/></g></svg>'
    )


def test_charts_drawn_in_threads_at_once() -> None:
    """No global pyplot state: charts drawn in parallel threads come out whole."""

    def draw(n: int) -> bytes:
        days = [DayCount(day=d.day, missed=d.missed + n, returned=d.returned) for d in WEEK]
        return digest_chart(days, WAITS, "ru" if n % 2 else "en").png()

    with ThreadPoolExecutor(max_workers=4) as pool:
        images = list(pool.map(draw, range(8)))
    assert all(_png_size(image)[0] >= 600 for image in images)
    assert len(set(images)) == len(images)
