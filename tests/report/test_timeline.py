"""The timeline SVG: well-formed, one lane per kind, a dot per failure, a bar
per outage, day ticks, accessible titles, escaped names."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ElementTree
from dataclasses import replace

import pytest

from komodo_guard.history.model import History, IncidentKind, Outage, Series
from komodo_guard.komodo.updates import Target
from komodo_guard.report import timeline
from tests.report.histories import (
    DAY,
    END,
    empty_history,
    failure,
    sample_history,
    update,
)

NS = "{http://www.w3.org/2000/svg}"


def parse(text: str) -> ElementTree.Element:
    return ElementTree.fromstring(text)


def test_is_an_accessible_svg_document() -> None:
    root = parse(timeline.render(sample_history()))
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "kg-timeline-title kg-timeline-desc"
    title = root.find(f"{NS}title")
    assert title is not None
    assert title.text == "Failures per incident kind, 2026-11-01 to 2026-12-01 (UTC)"
    desc = root.find(f"{NS}desc")
    assert desc is not None
    assert desc.text == (
        "6 failed updates in 4 outages. Failures per kind: git-pull-blocked: 3, "
        "database-auth: 2, other: 1."
    )


def test_one_lane_per_kind_in_the_kinds_order() -> None:
    root = parse(timeline.render(sample_history()))
    labels = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert labels == ["git-pull-blocked", "database-auth", "other"]


def test_a_dot_per_failure_and_a_bar_per_outage_each_with_a_title() -> None:
    root = parse(timeline.render(sample_history()))
    dots = list(root.iter(f"{NS}circle"))
    bars = [r for r in root.iter(f"{NS}rect") if r.get("rx") == "3"]
    assert len(dots) == 6
    assert len(bars) == 4
    for mark in dots + bars:
        title = mark.find(f"{NS}title")
        assert title is not None
        assert title.text
    dot_titles = [c.find(f"{NS}title").text for c in dots]  # type: ignore[union-attr]
    assert (
        "DeployStack on Stack mealie failed at 2026-11-26 12:00 UTC "
        "(git-pull-blocked)" in dot_titles
    )
    bar_titles = [b.find(f"{NS}title").text for b in bars]  # type: ignore[union-attr]
    assert (
        "Outage git-pull-blocked-mealie-20261126T1200: git-pull-blocked on Stack "
        "mealie, from 2026-11-26 12:00 UTC still open, lasted 5 d" in bar_titles
    )


def test_open_outages_reach_the_end_of_the_window() -> None:
    root = parse(timeline.render(sample_history()))
    width = float(root.get("width", "0"))
    open_bars = [
        r
        for r in root.iter(f"{NS}rect")
        if r.get("rx") == "3" and "still open" in (r.findtext(f"{NS}title") or "")
    ]
    assert len(open_bars) == 2
    for bar in open_bars:
        right = float(bar.get("x", "0")) + float(bar.get("width", "0"))
        assert abs(right - (width - timeline.RIGHT)) < 1


def test_a_tick_per_midnight_and_labels_that_do_not_crowd() -> None:
    root = parse(timeline.render(sample_history()))
    ticks = [
        line for line in root.iter(f"{NS}line") if not line.get("stroke-dasharray")
    ]
    assert len(ticks) == 30
    labels = [t for t in root.iter(f"{NS}text") if t.get("text-anchor") == "middle"]
    xs = [float(t.get("x", "0")) for t in labels]
    assert labels[0].text == "Nov 02"
    assert all(b - a >= timeline.MIN_LABEL_GAP for a, b in itertools.pairwise(xs))


def test_names_from_core_are_escaped() -> None:
    text = timeline.render(sample_history())
    assert "a<b>&c" not in text
    assert "a&lt;b&gt;&amp;c" in text
    parse(text)


def test_control_characters_are_dropped() -> None:
    assert timeline.escape("a\x00b\x1bc<") == "abc&lt;"


def test_an_empty_history_still_draws_a_valid_picture() -> None:
    root = parse(timeline.render(empty_history()))
    assert "No failed updates in this window." in ElementTree.tostring(
        root, encoding="unicode"
    )
    assert list(root.iter(f"{NS}circle")) == []


def test_rendering_is_pure() -> None:
    assert timeline.render(sample_history()) == timeline.render(sample_history())


def long_history(days: int, failures: int = 40, kinds: int = 1) -> History:
    """``failures`` failures spread over a window of ``days`` days, each its
    own outage ended an hour later, over ``kinds`` incident kinds."""
    since = END - days * DAY
    every = (END - since) // (failures + 1)
    outages = []
    for number in range(failures):
        at = since + every * (number + 1)
        kind = list(IncidentKind)[number % kinds]
        target = Target("Stack", f"id-{number % 50}", f"app{number % 50}")
        broken = failure(target, at, kind, "evidence")
        ended = update(target, at + 3_600_000, success=True)
        outages.append(Outage(kind, target, (broken,), ended))
    return History(
        since=since,
        until=END,
        updates=failures * 2,
        failures=tuple(o.failures[0] for o in outages),
        series=tuple(Series(o.kind, o.target, (o,)) for o in outages),
    )


def ticks_and_labels(text: str) -> tuple[int, list[str]]:
    root = parse(text)
    ticks = [
        line for line in root.iter(f"{NS}line") if not line.get("stroke-dasharray")
    ]
    labels = [
        t.text or "" for t in root.iter(f"{NS}text") if t.get("text-anchor") == "middle"
    ]
    return len(ticks), labels


@pytest.mark.parametrize(
    ("days", "first_label"),
    [
        (90, "Sep 07"),  # weeks, from the first Monday
        (400, "Nov 2025"),  # months with their year
        (3650, "Jan 2017"),  # half years
        (20_000, "1974"),  # two years
        (100_000, "1760"),  # decades
    ],
)
def test_long_windows_get_coarser_ticks_with_the_year(
    days: int, first_label: str
) -> None:
    text = timeline.render(long_history(days))
    count, labels = ticks_and_labels(text)
    assert 3 <= count <= timeline.MAX_TICKS
    assert labels[0] == first_label
    assert len(text) < 60_000


def test_a_window_across_new_year_labels_days_with_the_year() -> None:
    history = long_history(30)
    turn = replace(
        history, until=history.until + 45 * DAY, since=history.since + 31 * DAY
    )
    _, labels = ticks_and_labels(timeline.render(turn))
    assert labels[0].startswith("2026-12-")
    assert any(label.startswith("2027-01-") for label in labels)


def test_many_failures_merge_per_pixel_column_and_keep_the_svg_small() -> None:
    crowded = long_history(30, failures=20_000, kinds=len(IncidentKind))
    text = timeline.render(crowded)
    root = parse(text)
    dots = list(root.iter(f"{NS}circle"))
    plot = timeline.WIDTH - timeline.LABEL_WIDTH - timeline.RIGHT
    lanes = len(IncidentKind)
    assert len(dots) <= lanes * (plot // timeline.COLUMN + 1)
    merged = [d.findtext(f"{NS}title") or "" for d in dots if d.get("r") == "5"]
    assert merged
    assert all(" failed updates (" in title for title in merged)
    assert " and " in merged[0]
    assert " more, from " in merged[0]
    assert len(text) < 1_500_000
    bars = [r for r in root.iter(f"{NS}rect") if r.get("rx") == "3"]
    assert len(bars) <= lanes * (plot // timeline.COLUMN + 1)


def test_the_svg_size_does_not_grow_with_the_window() -> None:
    sizes = [len(timeline.render(long_history(days))) for days in (30, 1000, 100_000)]
    assert max(sizes) < 2 * min(sizes)


def test_a_failure_whose_log_was_not_read_says_so() -> None:
    history = long_history(30, failures=1)
    (only,) = history.failures
    unknown = replace(only, kind=IncidentKind.OTHER, unread=True)
    outage = Outage(IncidentKind.OTHER, only.update.target, (unknown,), None)
    blind = replace(
        history,
        failures=(unknown,),
        series=(Series(IncidentKind.OTHER, outage.target, (outage,)),),
    )
    (dot,) = parse(timeline.render(blind)).iter(f"{NS}circle")
    assert (dot.findtext(f"{NS}title") or "").endswith(
        "(other) (kind unknown: its log was not read)"
    )
