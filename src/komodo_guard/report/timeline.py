"""The audit's timeline picture: failures per incident kind over the window, as SVG.

One horizontal lane per incident kind seen, oldest time on the left. Each
failed Update is a dot; each outage (first failure to the recovering success,
or to the end of the window while still open) is a bar behind its dots. Thin
lines mark UTC midnights, labelled as often as there is room. The picture has
an accessible name and description, and every dot and bar a ``<title>`` that
says what it stands for, so screen readers and hovering both tell the story.

:func:`render` is pure: the same history gives the same text. Everything from
Core (target names) is escaped, so the result is always well-formed XML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from xml.sax import saxutils

from komodo_guard.history.model import Failure, History, IncidentKind, Outage
from komodo_guard.report.durations import day, human, moment

WIDTH = 960
LABEL_WIDTH = 150
RIGHT = 20
TOP = 34
LANE = 30
AXIS = 34
MIN_LABEL_GAP = 64
"""Fewest pixels between two day labels."""

_DAY = 86_400_000
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FAILURE = "#b42318"
_OPEN = "#f04438"
_CLOSED = "#fda29b"
_GRID = "#d0d5dd"
_TEXT = "#344054"


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
    for row, kind in enumerate(kinds):
        parts.extend(_lane(history, kind, TOP + row * LANE, scale))
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
        f"{len(history.failures)} failed updates in {len(history.outages)} "
        f"outages. Failures per kind: {lanes}."
    )


def _midnights(since: int, until: int) -> Iterator[int]:
    day = since - since % _DAY
    if day < since:
        day += _DAY
    while day <= until:
        yield day
        day += _DAY


def _ticks(scale: _Scale, height: int) -> list[str]:
    days = list(_midnights(scale.since, scale.until))
    pixels_per_day = scale.width * _DAY / (scale.until - scale.since)
    every = max(1, -(-MIN_LABEL_GAP // max(int(pixels_per_day), 1)))
    bottom = height - AXIS
    parts = []
    for index, midnight in enumerate(days):
        x = scale.x(midnight)
        parts.append(
            f'<line x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{bottom}" '
            f'stroke="{_GRID}" stroke-width="1"/>'
        )
        if index % every == 0:
            label = datetime.fromtimestamp(midnight / 1000, UTC).strftime("%b %d")
            parts.append(
                f'<text x="{x}" y="{bottom + 16}" fill="{_TEXT}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return parts


def _lane(history: History, kind: IncidentKind, top: int, scale: _Scale) -> list[str]:
    middle = top + LANE // 2
    parts = [
        f'<text x="{LABEL_WIDTH - 8}" y="{middle + 4}" fill="{_TEXT}" '
        f'text-anchor="end">{escape(str(kind))}</text>',
        f'<line x1="{scale.left}" y1="{middle}" x2="{scale.left + scale.width}" '
        f'y2="{middle}" stroke="{_GRID}" stroke-dasharray="2 3"/>',
    ]
    outages = [o for o in history.outages if o.kind is kind]
    parts.extend(_bar(outage, middle, scale, history.until) for outage in outages)
    parts.extend(
        _mark(failure, middle, scale)
        for failure in history.failures
        if failure.kind is kind
    )
    return parts


def _bar(outage: Outage, middle: int, scale: _Scale, until: int) -> str:
    start = scale.x(outage.started)
    end = scale.x(outage.ended if outage.ended is not None else until)
    width = max(round(end - start, 1), 2)
    colour = _OPEN if outage.open else _CLOSED
    state = "still open" if outage.open else f"until {moment(outage.ended or 0)}"
    label = (
        f"Outage {outage.ident}: {outage.kind} on {outage.target}, from "
        f"{moment(outage.started)} {state}, lasted {human(outage.duration(until))}"
    )
    return (
        f'<rect x="{start}" y="{middle - 6}" width="{width}" height="12" rx="3" '
        f'fill="{colour}" fill-opacity="0.45"><title>{escape(label)}</title></rect>'
    )


def _mark(failure: Failure, middle: int, scale: _Scale) -> str:
    update = failure.update
    label = (
        f"{update.operation} on {update.target} failed at {moment(failure.at)} "
        f"({failure.kind})"
    )
    return (
        f'<circle cx="{scale.x(failure.at)}" cy="{middle}" r="4" '
        f'fill="{_FAILURE}"><title>{escape(label)}</title></circle>'
    )
