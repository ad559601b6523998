"""The audit's timeline picture: failures per incident kind over the window, as SVG.

One horizontal lane per incident kind seen, oldest time on the left. Failed
Updates are dots and outages (first failure to the recovering success, or to
the end of the window while still open) are bars behind them. Whatever the
window and however many failures, the picture stays small: grid lines fall
on days, weeks, months or years, whichever gives at most :data:`MAX_TICKS`
of them, labelled as often as there is room (with the year when the window
spans more than one); the dots of one :data:`COLUMN` of pixels merge into
one, and bars that touch merge into one. The picture has an accessible name
and description, and every dot and bar a ``<title>`` that says what it
stands for (how many, when, where, for a merged one), so screen readers and
hovering both tell the story.

:func:`render` is pure: the same history gives the same text. Everything from
Core (target names) is escaped, so the result is always well-formed XML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from xml.sax import saxutils

from komodo_guard.history.model import Failure, History, IncidentKind, Outage
from komodo_guard.report.durations import day, human, moment
from komodo_guard.report.interface import plural

WIDTH = 960
LABEL_WIDTH = 150
RIGHT = 20
TOP = 34
LANE = 30
AXIS = 34
MIN_LABEL_GAP = 64
"""Fewest pixels between two tick labels."""
MAX_TICKS = 31
"""Most grid lines: a month of days still gets one a day."""
COLUMN = 3
"""Width in pixels of the columns whose dots merge into one."""
NAMED = 3
"""Most targets a merged mark's title names."""

_DAY = 86_400_000
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FAILURE = "#b42318"
_OPEN = "#f04438"
_CLOSED = "#fda29b"
_GRID = "#d0d5dd"
_TEXT = "#344054"
_CHAR = 7
"""Pixels a label character takes, about, at the picture's font size."""


def render(history: History) -> str:
    """The timeline of ``history`` as a standalone SVG document."""
    kinds = _kinds(history)
    height = TOP + LANE * max(len(kinds), 1) + AXIS
    scale = _Scale(history.since, history.until)
    title = (
        f"Failures per incident kind, {day(history.since)} to "
        f"{day(history.until)} (UTC)"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        'aria-labelledby="kg-timeline-title kg-timeline-desc" '
        'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="kg-timeline-title">{escape(title)}</title>',
        f'<desc id="kg-timeline-desc">{escape(_description(history, kinds))}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{LABEL_WIDTH}" y="20" fill="{_TEXT}" font-weight="600">'
        f"{escape(title)}</text>",
        *_ticks(scale, height),
    ]
    if not kinds:
        parts.append(
            f'<text x="{LABEL_WIDTH}" y="{TOP + LANE // 2 + 4}" fill="{_TEXT}">'
            "No failed updates in this window.</text>"
        )
    outages = history.outages
    for row, kind in enumerate(kinds):
        lane = _Lane(kind, [o for o in outages if o.kind is kind])
        parts.extend(_lane(history, lane, TOP + row * LANE, scale))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


class _Scale:
    """Maps Unix milliseconds in the window to x positions of the plot."""

    def __init__(self, since: int, until: int) -> None:
        self.since = since
        self.until = max(until, since + 1)
        self.left = LABEL_WIDTH
        self.width = WIDTH - LABEL_WIDTH - RIGHT

    def x(self, at: int) -> float:
        """The x position of ``at``, clamped to the plot."""
        share = (min(max(at, self.since), self.until) - self.since) / (
            self.until - self.since
        )
        return round(self.left + share * self.width, 1)

    def column(self, at: int) -> int:
        """Which :data:`COLUMN` of the plot ``at`` falls in."""
        return int((self.x(at) - self.left) // COLUMN)


def escape(text: str) -> str:
    """``text`` as XML character data: markup escaped, characters XML cannot
    hold (control characters from a resource name) dropped."""
    return saxutils.escape(_NOT_XML.sub("", text))


def _kinds(history: History) -> list[IncidentKind]:
    seen = {failure.kind for failure in history.failures}
    return [kind for kind in IncidentKind if kind in seen]


def _description(history: History, kinds: list[IncidentKind]) -> str:
    if not kinds:
        return "No failed updates in this window."
    lanes = ", ".join(
        f"{kind}: {sum(1 for f in history.failures if f.kind is kind)}"
        for kind in kinds
    )
    return (
        f"{plural(len(history.failures), 'failed update')} in "
        f"{plural(len(history.outages), 'outage')}. Failures per kind: {lanes}."
    )


@dataclass(frozen=True)
class _Step:
    """A spacing of grid lines: ``count`` days, months or years."""

    unit: str
    count: int

    @property
    def about(self) -> int:
        """Its length in milliseconds, roughly (months of 30.4 days)."""
        days = {"day": 1, "month": 30.44, "year": 365.25}[self.unit]
        return int(self.count * days * _DAY)


_STEPS = (
    *(_Step("day", n) for n in (1, 2, 7)),
    *(_Step("month", n) for n in (1, 2, 3, 6)),
    *(_Step("year", n) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)),
)
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
_LATEST = datetime(9999, 12, 30, tzinfo=UTC)


def _step(since: int, until: int) -> _Step:
    """The finest spacing that gives at most :data:`MAX_TICKS` grid lines."""
    span = until - since
    return next((s for s in _STEPS if span // s.about < MAX_TICKS), _STEPS[-1])


def _at(ms: int) -> datetime:
    """Unix milliseconds as a UTC datetime, kept inside what datetime holds."""
    seconds = min(max(ms / 1000, _EARLIEST.timestamp()), _LATEST.timestamp())
    return datetime.fromtimestamp(seconds, UTC)


def _marks(step: _Step, since: int, until: int) -> Iterator[datetime]:
    """The grid lines' moments in ``[since, until]``: midnights (Mondays for
    weeks), firsts of months, New Years, on multiples of the step."""
    start, end = _at(since), _at(until)
    if step.unit == "day":
        moment_ = start.replace(hour=0, minute=0, second=0, microsecond=0)
        while moment_ < start or _off_grid(moment_, step.count):
            moment_ += timedelta(days=1)
        while moment_ <= end:
            yield moment_
            moment_ += timedelta(days=step.count)
        return
    months = 12 if step.unit == "year" else 1
    index = start.year * 12 + start.month - 1
    index += -index % (months * step.count)
    while index // 12 <= end.year:
        moment_ = datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)
        if start <= moment_ <= end:
            yield moment_
        index += months * step.count


def _off_grid(midnight: datetime, count: int) -> bool:
    """Whether a midnight is not a tick of every ``count`` days; day 1 of
    the calendar was a Monday, so weeks start on Mondays."""
    return (midnight.toordinal() - 1) % count != 0


def _label(step: _Step, moment_: datetime, years: bool) -> str:
    if step.unit == "year":
        return f"{moment_.year}"
    if step.unit == "month":
        return moment_.strftime("%b ") + f"{moment_.year}"
    if years:
        return f"{moment_.year}-{moment_:%m-%d}"
    return moment_.strftime("%b %d")


def _ticks(scale: _Scale, height: int) -> list[str]:
    step = _step(scale.since, scale.until)
    years = _at(scale.since).year != _at(scale.until).year
    marks = list(_marks(step, scale.since, scale.until))
    labels = [_label(step, mark, years) for mark in marks]
    wide = max((len(text) for text in labels), default=0) * _CHAR + 10
    pixels = scale.width * step.about / (scale.until - scale.since)
    every = max(1, -(-max(MIN_LABEL_GAP, wide) // max(int(pixels), 1)))
    bottom = height - AXIS
    parts = []
    for index, (mark, text) in enumerate(zip(marks, labels, strict=True)):
        x = scale.x(int(mark.timestamp() * 1000))
        parts.append(
            f'<line x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{bottom}" '
            f'stroke="{_GRID}" stroke-width="1"/>'
        )
        if index % every == 0:
            parts.append(
                f'<text x="{x}" y="{bottom + 16}" fill="{_TEXT}" '
                f'text-anchor="middle">{escape(text)}</text>'
            )
    return parts


@dataclass(frozen=True)
class _Lane:
    """One incident kind and its outages, oldest first."""

    kind: IncidentKind
    outages: list[Outage]


def _lane(history: History, lane: _Lane, top: int, scale: _Scale) -> list[str]:
    kind = lane.kind
    middle = top + LANE // 2
    parts = [
        f'<text x="{LABEL_WIDTH - 8}" y="{middle + 4}" fill="{_TEXT}" '
        f'text-anchor="end">{escape(str(kind))}</text>',
        f'<line x1="{scale.left}" y1="{middle}" x2="{scale.left + scale.width}" '
        f'y2="{middle}" stroke="{_GRID}" stroke-dasharray="2 3"/>',
    ]
    parts.extend(
        _bar(group, middle, scale, history.until)
        for group in _touching(lane.outages, scale, history.until)
    )
    failures = [failure for failure in history.failures if failure.kind is kind]
    parts.extend(_mark(group, middle, scale) for group in _columns(failures, scale))
    return parts


def _end(outage: Outage, until: int) -> int:
    return outage.ended if outage.ended is not None else until


def _touching(
    outages: Sequence[Outage], scale: _Scale, until: int
) -> list[list[Outage]]:
    """Outages (oldest first) in groups whose bars touch or overlap."""
    groups: list[list[Outage]] = []
    reach = -1.0
    for outage in outages:
        if groups and scale.x(outage.started) <= reach + COLUMN:
            groups[-1].append(outage)
        else:
            groups.append([outage])
            reach = -1.0
        reach = max(reach, scale.x(_end(outage, until)))
    return groups


def _columns(failures: Sequence[Failure], scale: _Scale) -> list[list[Failure]]:
    """Failures (oldest first) in groups of one :data:`COLUMN` each."""
    groups: dict[int, list[Failure]] = {}
    for failure in failures:
        groups.setdefault(scale.column(failure.at), []).append(failure)
    return list(groups.values())


def _targets(names: Sequence[str]) -> str:
    unique = list(dict.fromkeys(names))
    shown = ", ".join(unique[:NAMED])
    more = len(unique) - NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def _bar(group: list[Outage], middle: int, scale: _Scale, until: int) -> str:
    first = group[0]
    end = max(_end(outage, until) for outage in group)
    start, right = scale.x(first.started), scale.x(end)
    width = max(round(right - start, 1), 2)
    still = sum(1 for outage in group if outage.open)
    if len(group) == 1:
        state = "still open" if still else f"until {moment(end)}"
        label = (
            f"Outage {first.ident}: {first.kind} on {first.target}, from "
            f"{moment(first.started)} {state}, lasted "
            f"{human(first.duration(until))}"
        )
    else:
        state = f", {still} still open" if still else ""
        label = (
            f"{plural(len(group), 'outage')} of {first.kind} on "
            f"{_targets([str(o.target) for o in group])}, from "
            f"{moment(first.started)} to {moment(end)}{state}"
        )
    colour = _OPEN if still else _CLOSED
    return (
        f'<rect x="{start}" y="{middle - 6}" width="{width}" height="12" rx="3" '
        f'fill="{colour}" fill-opacity="0.45"><title>{escape(label)}</title></rect>'
    )


def _mark(group: list[Failure], middle: int, scale: _Scale) -> str:
    first = group[0]
    update = first.update
    unread = " (kind unknown: its log was not read)" if first.unread else ""
    if len(group) == 1:
        label = (
            f"{update.operation} on {update.target} failed at {moment(first.at)} "
            f"({first.kind}){unread}"
        )
        radius = 4
    else:
        label = (
            f"{plural(len(group), 'failed update')} ({first.kind}) on "
            f"{_targets([str(f.update.target) for f in group])}, from "
            f"{moment(first.at)} to {moment(group[-1].at)}"
        )
        radius = 5
    return (
        f'<circle cx="{scale.x(first.at)}" cy="{middle}" r="{radius}" '
        f'fill="{_FAILURE}"><title>{escape(label)}</title></circle>'
    )
