"""The words of the audit's live parts, shared by both renderers: what was read
from Komodo Core, and the recurring incidents of its update log.

Values quote names and paths in backticks; each renderer turns those into code.
The incident kinds' titles, causes and fixes come from
:data:`komodo_guard.history.kinds.KIND_TEXT`, imported only when a history is
rendered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from komodo_guard.history.model import History, IncidentKind, Outage
from komodo_guard.report.audit.diagram import Chain, flowchart
from komodo_guard.report.durations import day, human, moment
from komodo_guard.report.interface import LiveSummary, plural

if TYPE_CHECKING:
    from komodo_guard.history.kinds import KindText

OUTAGE_LIMIT = 15
"""Most outages listed by name in the audit (``postmortem --list`` has all)."""
TARGET_LIMIT = 5
"""Most targets named in one cell of the taxonomy table."""


def core_rows(live: LiveSummary) -> list[tuple[str, str]]:
    """(label, value) rows: which Core was read, when, and what failed."""
    where = f"`{live.url}`"
    if live.demo:
        where += (
            " (komodo-guard's built-in Core emulator serving the demo scenario; "
            "nothing real was contacted)"
        )
    read = ", ".join(plural(count, word) for word, count in live.counts)
    return [
        ("Core", where),
        ("Version", live.version or "unknown: GetVersion could not be read"),
        ("Read at", moment(_ms(live.until))),
        (
            "Update log window",
            f"the last {plural(live.window_days, 'day')}, {day(_ms(live.since))} to "
            f"{day(_ms(live.until))}",
        ),
        ("Read from Core", read or "nothing"),
        ("Caches refreshed first", _refreshed(live.refreshed)),
        ("Could not read", "; ".join(live.unread) or "nothing: every call succeeded"),
    ]


def _refreshed(refreshed: bool) -> str:
    if refreshed:
        return "yes: RefreshResourceSyncPending and RefreshStackCache ran first"
    return (
        "no: pending changes and latest commits are as Core last computed them "
        "(`--refresh` asks Core to recompute them first; that is a write)"
    )


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


@dataclass(frozen=True)
class KindRow:
    """One incident kind over every target it hit."""

    kind: IncidentKind
    targets: tuple[str, ...]
    occurrences: int
    unread: int
    """Failures of the kind that count as ``other`` only because their log
    was not read."""
    outages: int
    longest: Outage
    recurrences: int
    first_seen: int
    last_seen: int


def kind_rows(history: History) -> list[KindRow]:
    """One row per incident kind seen, in the kinds' order."""
    rows = []
    for kind in IncidentKind:
        series = [s for s in history.series if s.kind is kind]
        if not series:
            continue
        longest = [s.longest(history.until) for s in series]
        rows.append(
            KindRow(
                kind=kind,
                targets=tuple(sorted({str(s.target) for s in series})),
                occurrences=sum(s.occurrences for s in series),
                unread=sum(
                    1
                    for s in series
                    for outage in s.outages
                    for failure in outage.failures
                    if failure.unread
                ),
                outages=sum(len(s.outages) for s in series),
                longest=max(longest, key=lambda o: o.duration(history.until)),
                recurrences=sum(s.recurrences for s in series),
                first_seen=min(s.first_seen for s in series),
                last_seen=max(s.last_seen for s in series),
            )
        )
    return rows


KIND_HEADER = (
    "Incident kind",
    "Targets",
    "Failures",
    "Outages",
    "Longest outage",
    "Fixed and back",
    "First seen",
    "Last seen",
)


def kind_cells(row: KindRow, history: History) -> tuple[str, ...]:
    """The taxonomy table's cells for ``row``, in :data:`KIND_HEADER` order."""
    longest = row.longest
    state = "still open" if longest.open else "ended"
    return (
        f"`{row.kind}`",
        _targets(row.targets),
        _failures(row),
        str(row.outages),
        f"{human(longest.duration(history.until))} ({state}, `{longest.target}`)",
        str(row.recurrences),
        moment(row.first_seen),
        moment(row.last_seen),
    )


def _targets(targets: tuple[str, ...]) -> str:
    """At most :data:`TARGET_LIMIT` targets, then how many more."""
    shown = ", ".join(f"`{target}`" for target in targets[:TARGET_LIMIT])
    rest = len(targets) - TARGET_LIMIT
    return f"{shown} and {rest} more" if rest > 0 else shown


def _failures(row: KindRow) -> str:
    if not row.unread:
        return str(row.occurrences)
    return f"{row.occurrences} ({row.unread} with no log read)"


def kind_texts(history: History) -> list[tuple[IncidentKind, KindText]]:
    """The title, cause and fix of every kind seen."""
    texts = _texts()
    return [(row.kind, texts[row.kind]) for row in kind_rows(history)]


def _texts() -> Mapping[IncidentKind, KindText]:
    from komodo_guard.history.kinds import KIND_TEXT

    return KIND_TEXT


OUTAGE_HEADER = ("Incident", "Kind", "Target", "Started", "Lasted", "Ended")


def outage_cells(history: History) -> list[tuple[str, ...]]:
    """Newest outages first, at most :data:`OUTAGE_LIMIT`."""
    newest = sorted(history.outages, key=lambda o: o.started, reverse=True)
    return [
        (
            f"`{outage.ident}`",
            f"`{outage.kind}`",
            f"`{outage.target}`",
            moment(outage.started),
            human(outage.duration(history.until)),
            "still open" if outage.ended is None else moment(outage.ended),
        )
        for outage in newest[:OUTAGE_LIMIT]
    ]


def outage_note(history: History) -> str:
    """How to get a postmortem, and how many outages the table left out."""
    hidden = len(history.outages) - OUTAGE_LIMIT
    more = (
        f" {plural(hidden, 'older outage')} {_are(hidden)} not listed here."
        if hidden > 0
        else ""
    )
    return (
        "`komodo-guard postmortem INCIDENT` writes the postmortem of one of them; "
        f"`komodo-guard postmortem --list` lists every one.{more}"
    )


def history_intro(history: History) -> str:
    """What the section covers, whether each failure's log was read, and
    whether the log was read whole."""
    counted = (
        f"{plural(history.updates, 'update')} from {day(history.since)} to "
        f"{day(history.until)}: {len(history.failures)} failed, in "
        f"{_outages(history)}. An outage runs from a target's first failure to "
        "its next success of the same work."
    )
    parts = [counted, *_unread(history)]
    if not history.complete:
        parts.append(
            "Core's update log could not be read whole, so these counts are a "
            "lower bound (see Could not read above)."
        )
    return " ".join(parts)


def _outages(history: History) -> str:
    """How many outages, said once per target and work; the tables count one
    per incident kind, which is more when an outage showed two kinds."""
    periods, per_kind = history.periods, len(history.outages)
    text = plural(periods, "outage")
    if per_kind == periods:
        return text
    return (
        f"{text} ({per_kind} when counted per incident kind, as the tables "
        "below do: one outage can show more than one kind)"
    )


def _unread(history: History) -> list[str]:
    """The sentences about failures whose log was not read."""
    without = history.without_logs
    if not without:
        return []
    parts = [
        f"{plural(without, 'failure')} {_were(without)} classified without "
        f"{'its' if without == 1 else 'their'} logs: Core's log of "
        f"{'that update' if without == 1 else 'those updates'} was not read "
        "(komodo-guard reads the logs of only some failures, the newest first), "
        "so the kind "
        "comes from the other failures of the same outage, the operation, or "
        "the nearest classified failure of the same target and work."
    ]
    unread = history.unread
    if unread:
        parts.append(
            f"{plural(unread, 'failure')} had nothing to infer from and "
            f"{_are(unread)} counted as `other` with no log read: "
            "why they failed is unknown, which is not the same as a log that "
            "matched no known pattern."
        )
    return parts


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def _are(count: int) -> str:
    return "is" if count == 1 else "are"


def incident_chains(history: History) -> list[Chain]:
    """Incident kind -> root cause -> fix, for the kinds seen."""
    return [
        Chain(str(kind), f"{kind}: {text.title}", text.cause, text.fix)
        for kind, text in kind_texts(history)
    ]


def incident_mermaid(history: History) -> str:
    """``flowchart LR``: incident kind, its root cause, its fix; kinds seen only."""
    return flowchart(incident_chains(history), "kind")


def other_examples(history: History) -> tuple[str, ...]:
    """Redacted evidence lines of failures no kind matched, newest first."""
    return history.examples(IncidentKind.OTHER)
