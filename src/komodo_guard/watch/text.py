"""The words of every transition: one-line titles and short bodies.

Titles name the rule and what it is about ("KG1001 sync-pending:
resource_sync 'homelab'"); bodies give the latest message, how long the
matter has lasted and the hint. Times are shown in UTC. The text is built
from findings, which never carry a secret value, and adds none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from komodo_guard.rules.interface import Finding
from komodo_guard.rules.live.common import duration
from komodo_guard.watch.model import BlindSpot, TrackedFinding, Transition

CORE_SUBJECT = "Komodo Core"
SUMMARY_LINES = 50
"""Held alerts listed one per line in a maintenance summary; the rest are counted."""

_TITLE_TEXT = 80


def when(moment: datetime) -> str:
    """``2026-11-29 04:12 UTC``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def finding_title(finding: Finding) -> str:
    """``CODE name: what``, where what is the resource, else the file, else
    the start of the message."""
    if finding.resource is not None:
        subject = str(finding.resource)
    elif finding.location is not None and finding.location.path:
        subject = finding.location.path
    else:
        subject = _cut(finding.message.split(";")[0], _TITLE_TEXT)
    return f"{finding.code} {finding.name}: {subject}"


def finding_body(record: TrackedFinding, at: datetime, lead: str = "") -> str:
    """The lead line, the latest message, how long it has been open, the hint."""
    lines = [lead, record.message]
    if record.is_open:
        began = record.began()
        lines.append(f"Open for {duration(at - began)} (since {when(began)}).")
    if record.hint:
        lines.append(f"Hint: {record.hint}")
    return "\n".join(line for line in lines if line)


def resolved_lead(record: TrackedFinding, at: datetime) -> str:
    """Why a finding counts as resolved, and how long it lasted."""
    lasted = duration(record.last_seen - record.began())
    return (
        f"Resolved: not reported since {when(record.last_seen)} "
        f"({record.missing} good cycles in a row); it was open for {lasted}."
    )


def blind_title(spot: BlindSpot, *, still: bool = False) -> str:
    """``Komodo cannot be checked since …: reason`` (or "fully checked" for
    one call)."""
    verb = "still cannot" if still else "cannot"
    what = "" if spot.subject == CORE_SUBJECT else " fully"
    title = f"Komodo {verb} be{what} checked since {when(spot.since)}"
    detail = spot.reason if spot.subject == CORE_SUBJECT else spot.subject
    return f"{title}: {_cut(detail.splitlines()[0] if detail else '', _TITLE_TEXT)}"


def blind_body(spot: BlindSpot) -> str:
    """The reason, the count of failed cycles, and what to look at."""
    return (
        f"{spot.reason}\n"
        f"{spot.failures} cycles in a row could not check this; findings that "
        "depend on it are neither raised nor resolved meanwhile.\n"
        "Hint: check that Core is up and reachable from this host, the Core URL, "
        "and the API key and secret and their permissions"
    )


def recovered_body(spot: BlindSpot, at: datetime) -> str:
    """How long checking was impossible."""
    return (
        f"{spot.subject} can be checked again after {duration(at - spot.since)} "
        f"({spot.failures} failed cycles since {when(spot.since)}); last reason: "
        f"{spot.reason}"
    )


def summary_title(held: Sequence[Transition]) -> str:
    """``Maintenance over: 2 new, 1 resolved``."""
    counts = Counter(transition.kind.value for transition in held)
    return "Maintenance over: " + ", ".join(
        f"{count} {kind}" for kind, count in sorted(counts.items())
    )


def summary_body(held: Sequence[Transition]) -> str:
    """One line per held alert, in order, at most :data:`SUMMARY_LINES`."""
    lines = [
        f"{when(transition.at)} {transition.kind.value}: {transition.title}"
        for transition in held[:SUMMARY_LINES]
    ]
    if len(held) > SUMMARY_LINES:
        lines.append(f"and {len(held) - SUMMARY_LINES} more")
    return "Alerts held during the maintenance window:\n" + "\n".join(lines)


def _cut(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
