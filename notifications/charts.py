"""Charts where people would rather look than read: SVG for the console's pages, PNG for Telegram.

Drawn from plain figures (hub/domain/chart_figures.py), never from the database: missed calls and
callbacks per day, the time to callback in buckets, calls per manager, and the digest's picture
(the first two as two panels). Each chart builds one matplotlib ``Figure`` and either format is
rendered from it, so SVG and PNG always show the same thing.

matplotlib's object-oriented API only: a ``Figure`` created directly, never pyplot and its global
figures, and no change to the global ``rcParams``, so charts may be drawn in worker threads at
once (the Agg and SVG renderers need no display). Text is set in DejaVu Sans, which ships with
matplotlib and has Cyrillic; in SVG it is drawn as paths, so a browser needs no font. The SVG is
made to sit inline in a page: no XML declaration or doctype, ids prefixed by the chart's name
(two charts on a page do not share a clip path) and its style scoped to itself.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from hub.domain.chart_figures import DayCount, ManagerCalls, Wait
from notifications.catalogue import Language, text

FONT = "DejaVu Sans"
WIDTH = 8.0  # inches; the SVG is 72 points to the inch, the PNG PNG_DPI pixels
HEIGHT = 4.5
PNG_DPI = 120
# At most this many day labels under the bars (a month's days would overlap).
DAY_LABELS = 12
NAME_LENGTH = 28

MISSED = "#d9534f"
RETURNED = "#3c9d5d"
ANSWERED = "#4a7ebb"
OUTBOUND = "#9bb3cf"
WAIT_COLOURS = {
    Wait.SOON: "#3c9d5d",
    Wait.SAME_DAY: "#e3b341",
    Wait.LATER: "#e07b39",
    Wait.NOT_YET: "#d9534f",
}


@dataclass(frozen=True, slots=True)
class Chart:
    """A drawn chart. ``name`` prefixes the SVG's ids; ``title`` is its accessible label."""

    figure: Figure
    name: str
    title: str

    def svg(self) -> str:
        """The chart as an ``<svg>`` element to put inline in a page."""
        buffer = io.StringIO()
        self.figure.savefig(buffer, format="svg", metadata={"Date": None})
        return inline_svg(buffer.getvalue(), self.name, self.title)

    def png(self) -> bytes:
        """The chart as a PNG image (for Telegram)."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return buffer.getvalue()


def missed_and_returned(days: Sequence[DayCount], language: Language) -> Chart:
    """Missed calls and callbacks per day, side by side."""
    figure, (axes,) = _figure(1)
    _per_day(axes, days, language)
    return Chart(figure, "per-day", text("chart_per_day", language))


def callback_waits(counts: Mapping[Wait, int], language: Language) -> Chart:
    """How long missed callers waited for the callback, in buckets."""
    figure, (axes,) = _figure(1)
    _waits(axes, counts, language)
    return Chart(figure, "waits", text("chart_waits", language))


def calls_per_manager(lines: Sequence[ManagerCalls], language: Language) -> Chart:
    """Each manager's answered, outbound and missed calls as one horizontal bar, in the order
    given (busiest first from :func:`hub.domain.chart_figures.per_manager`)."""
    figure = Figure(
        figsize=(WIDTH, max(HEIGHT * 0.6, 0.4 * len(lines) + 1.4)), layout="constrained"
    )
    _per_manager(figure.add_subplot(), lines, language)
    return Chart(figure, "per-manager", text("chart_per_manager", language))


def digest_chart(days: Sequence[DayCount], counts: Mapping[Wait, int], language: Language) -> Chart:
    """The digest's picture: missed and called back per day above, the waits below."""
    figure, (top, bottom) = _figure(2)
    _per_day(top, days, language)
    _waits(bottom, counts, language)
    title = f"{text('chart_per_day', language)}. {text('chart_waits', language)}"
    return Chart(figure, "digest", title)


def _figure(panels: int) -> tuple[Figure, list[Axes]]:
    figure = Figure(
        figsize=(WIDTH, HEIGHT * (0.9 * panels if panels > 1 else 1)), layout="constrained"
    )
    return figure, [figure.add_subplot(panels, 1, n + 1) for n in range(panels)]


def _per_day(axes: Axes, days: Sequence[DayCount], language: Language) -> None:
    _style(axes, text("chart_per_day", language))
    if not days:
        _no_data(axes, language)
        axes.set_xticks([])
        return
    places = range(len(days))
    width = 0.4
    missed = axes.bar(
        [x - width / 2 for x in places],
        [d.missed for d in days],
        width,
        color=MISSED,
        label=text("chart_missed", language),
    )
    returned = axes.bar(
        [x + width / 2 for x in places],
        [d.returned for d in days],
        width,
        color=RETURNED,
        label=text("chart_returned", language),
    )
    if len(days) <= 2 * DAY_LABELS:
        _counts(axes, missed)
        _counts(axes, returned)
    step = -(-len(days) // DAY_LABELS)
    axes.set_xticks(
        list(places)[::step], [text("chart_day", language, day=d.day) for d in days][::step]
    )
    # A day or two keep the bars' width a week would give them, centred.
    span, middle = max(len(days), 4), (len(days) - 1) / 2
    axes.set_xlim(middle - span / 2 - 0.1, middle + span / 2 + 0.1)
    _whole_numbers(axes, max(max(d.missed, d.returned) for d in days))
    axes.legend(prop={"family": FONT, "size": 9}, frameon=False, loc="best")


def _waits(axes: Axes, counts: Mapping[Wait, int], language: Language) -> None:
    _style(axes, text("chart_waits", language))
    buckets = list(Wait)
    values = [counts.get(bucket, 0) for bucket in buckets]
    bars = axes.bar(
        range(len(buckets)), values, 0.6, color=[WAIT_COLOURS[bucket] for bucket in buckets]
    )
    axes.set_xticks(
        range(len(buckets)), [text(f"chart_wait_{bucket.value}", language) for bucket in buckets]
    )
    _counts(axes, bars)
    _whole_numbers(axes, max(values))
    if not any(values):
        _no_data(axes, language)


def _per_manager(axes: Axes, lines: Sequence[ManagerCalls], language: Language) -> None:
    _style(axes, text("chart_per_manager", language), pad=24 if lines else 6)
    if not lines:
        _no_data(axes, language)
        axes.set_xticks([])
        return
    places = range(len(lines))
    left = [0] * len(lines)
    parts = (
        ("chart_answered", ANSWERED, [line.answered for line in lines]),
        ("chart_outbound", OUTBOUND, [line.outbound for line in lines]),
        ("chart_missed", MISSED, [line.missed for line in lines]),
    )
    for key, colour, values in parts:
        axes.barh(places, values, 0.6, left=left, color=colour, label=text(key, language))
        left = [a + b for a, b in zip(left, values, strict=True)]
    for place, total in zip(places, left, strict=True):
        axes.annotate(
            str(total),
            (total, place),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            fontfamily=FONT,
        )
    axes.set_yticks(places, [_short(line.name) for line in lines])
    axes.invert_yaxis()  # the first (busiest) on top
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlim(0, max(max(left), 1) * 1.12)
    axes.legend(
        prop={"family": FONT, "size": 9},
        frameon=False,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=3,
    )


def _style(axes: Axes, title: str, *, pad: float = 6) -> None:
    axes.set_title(title, fontfamily=FONT, fontsize=12, loc="left", pad=pad)
    axes.tick_params(labelfontfamily=FONT, labelsize=9)
    axes.spines[["top", "right"]].set_visible(False)


def _counts(axes: Axes, bars: BarContainer) -> None:
    """Each bar's value above it (none on an empty bar)."""
    labels = [str(int(bar.get_height())) if bar.get_height() else "" for bar in bars]
    axes.bar_label(bars, labels=labels, padding=2, fontsize=8, fontfamily=FONT)


def _whole_numbers(axes: Axes, highest: int) -> None:
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max(highest, 1) * 1.15)


def _no_data(axes: Axes, language: Language) -> None:
    axes.text(
        0.5,
        0.5,
        text("chart_no_data", language),
        transform=axes.transAxes,
        ha="center",
        va="center",
        color="#888888",
        fontsize=12,
        fontfamily=FONT,
    )
    axes.set_yticks([])


def _short(name: str) -> str:
    return name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1] + "…"


_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'href="#([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")


def inline_svg(document: str, name: str, title: str) -> str:
    """matplotlib's SVG document as an element for a page: from ``<svg`` on, its ids and the
    references to them prefixed with ``name``, its style applied to itself only, labelled."""
    element = document[document.index("<svg") :]
    element = _ID.sub(lambda m: f'id="{name}-{m.group(1)}"', element)
    element = _HREF.sub(lambda m: f'href="#{name}-{m.group(1)}"', element)
    element = _URL.sub(lambda m: f"url(#{name}-{m.group(1)})", element)
    element = element.replace("*{", f"#{name} *{{")
    label = f'<svg id="{name}" role="img" aria-label={quoteattr(title)}'
    return label + element.removeprefix("<svg")
