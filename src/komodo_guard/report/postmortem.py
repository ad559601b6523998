"""The postmortem of one incident, in Markdown, from Core's update log.

:func:`incident` gathers what belongs to one outage: its failures, the update
that ended it, the alerts raised on the same target while it lasted, the
configuration edits made to the target between its last failure and its
recovery, the other outages running at the same time, and the live findings
still open on the target. :func:`render` lays that out: summary, timeline,
cause, what ended it, follow-ups. Both are pure; evidence lines arrive redacted
from the history, and no other log text is printed (only a commit hash found
in the recovery's logs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from komodo_guard import __version__
from komodo_guard.history.model import History, Outage
from komodo_guard.komodo.updates import (
    KIND_OF_TARGET,
    SERVICE_USERS,
    Target,
    Update,
    is_config_change,
)
from komodo_guard.report.audit import inline
from komodo_guard.report.audit.scope import sentence
from komodo_guard.report.durations import human, moment
from komodo_guard.report.interface import LiveSummary, plural
from komodo_guard.rules.interface import FailureClass, Finding

if TYPE_CHECKING:
    from komodo_guard.history.kinds import KindText
    from komodo_guard.live.views import Alert

_COMMIT = re.compile(
    r"(?:HEAD is now at|Updating [0-9a-f]{7,40}\.\.|commit:?)\s*([0-9a-f]{7,40})\b"
)


@dataclass(frozen=True)
class Incident:
    """One outage and everything the postmortem says about it."""

    outage: Outage
    until: int
    """When Core's log was read (Unix milliseconds); open outages last until it."""
    live: LiveSummary
    alerts: tuple[Alert, ...]
    edits: tuple[Update, ...]
    concurrent: tuple[Outage, ...]
    findings: tuple[Finding, ...]
    users: Mapping[str, str]
    """User id -> username, learned from the updates that carry both (an
    update read with its logs carries only the id)."""

    def who(self, update: Update) -> str:
        """Who started ``update``: a service user's name, else the user's."""
        return (
            SERVICE_USERS.get(update.operator)
            or update.username
            or self.users.get(update.operator)
            or f"user {update.operator}"
        )

    @property
    def end(self) -> int:
        """When it ended, or when the log was read if it is still open."""
        ended = self.outage.ended
        return self.until if ended is None else ended


def incident(
    outage: Outage,
    *,
    history: History,
    live: LiveSummary,
    updates: Iterable[Update],
    alerts: Iterable[Alert],
    findings: Iterable[Finding],
) -> Incident:
    """Everything about ``outage`` found in the snapshot and the live findings."""
    updates = tuple(updates)
    target = outage.target
    end = history.until if outage.ended is None else outage.ended
    last_failure = outage.failures[-1].at
    return Incident(
        outage=outage,
        until=history.until,
        live=live,
        alerts=tuple(
            sorted(
                (
                    a
                    for a in alerts
                    if a.target.id == target.id and outage.started <= a.ts <= end
                ),
                key=lambda a: a.ts,
            )
        ),
        edits=tuple(
            sorted(
                (
                    u
                    for u in updates
                    if u.target.id == target.id
                    and is_config_change(u.operation)
                    and last_failure <= u.start_ts <= end
                ),
                key=lambda u: u.start_ts,
            )
        ),
        concurrent=tuple(
            o
            for o in history.outages
            if o.ident != outage.ident
            and o.started <= end
            and (o.ended is None or o.ended >= outage.started)
        ),
        findings=tuple(f for f in findings if _about(f, target)),
        users={u.operator: u.username for u in updates if u.username},
    )


def _about(finding: Finding, target: Target) -> bool:
    resource = finding.resource
    return (
        resource is not None
        and finding.failure_class is not FailureClass.INCOMPLETE
        and not finding.suppressed
        and resource.kind == KIND_OF_TARGET.get(target.kind)
        and resource.name == target.name
    )


def commit_of(update: Update) -> str:
    """A commit hash the update's logs name (a pull or checkout), else ``""``."""
    for log in update.logs:
        found = _COMMIT.search(f"{log.stdout}\n{log.stderr}")
        if found:
            return found.group(1)
    return ""


def render(found: Incident) -> str:
    """The postmortem as Markdown."""
    from komodo_guard.history.kinds import KIND_TEXT

    text = KIND_TEXT[found.outage.kind]
    lines = [
        *_title(found),
        *_summary(found, text),
        *_timeline(found),
        *_cause(found, text),
        *_ending(found),
        *_follow_ups(found, text),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _title(found: Incident) -> list[str]:
    outage = found.outage
    live = found.live
    lines = [
        f"# Postmortem: {outage.kind} on {inline.markdown(str(outage.target))}, "
        f"{moment(outage.started)}",
        "",
        inline.markdown(
            f"Incident `{outage.ident}`. Written by komodo-guard {__version__} "
            f"from the update log of {live.core}, last "
            f"{plural(live.window_days, 'day')}, "
            f"read at {moment(found.until)}."
        ),
        "",
    ]
    if live.unread:
        lines.extend(
            [
                inline.markdown(
                    "Not everything could be read, so parts may be missing: "
                    + "; ".join(live.unread)
                ),
                "",
            ]
        )
    return lines


def _summary(found: Incident, text: KindText) -> list[str]:
    outage = found.outage
    span = human(outage.duration(found.until))
    if outage.open:
        how_long = (
            f"{span} so far: from {moment(outage.started)}, still failing when "
            f"the log was read at {moment(found.until)}"
        )
    else:
        how_long = f"{span}: from {moment(outage.started)} to {moment(found.end)}"
    operations = sorted({f.update.operation for f in outage.failures})
    starters = sorted({found.who(f.update) for f in outage.failures})
    lines = [
        "## Summary",
        "",
        f"- **What**: {inline.markdown(text.title)} on "
        f"{inline.code(str(outage.target))} (`{outage.kind}`).",
        f"- **How long**: {how_long}.",
        f"- **Impact**: {inline.code(str(outage.target))}, for {span}: "
        f"{plural(len(outage.failures), 'failed update')} "
        f"({inline.markdown(', '.join(operations))}, started by "
        f"{inline.markdown(', '.join(starters))}); what they were to apply did "
        "not reach it in that time.",
    ]
    for other in found.concurrent:
        lines.append(
            f"- **Also failing meanwhile**: {inline.code(str(other.target))} "
            f"(`{other.kind}`, incident `{other.ident}`), "
            f"{human(other.duration(found.until))}"
            + (", still open." if other.open else ".")
        )
    return [*lines, ""]


def _timeline(found: Incident) -> list[str]:
    rows: list[tuple[int, str, str, str]] = []
    for failure in found.outage.failures:
        update = failure.update
        result = (
            f"failed: {inline.code(failure.evidence, cell=True)}"
            if failure.evidence
            else "failed (its log was not read)"
        )
        rows.append((failure.at, update.operation, found.who(update), result))
    for alert in found.alerts:
        state = "resolved since" if alert.resolved else "still open"
        rows.append((alert.ts, f"alert {alert.kind} ({alert.level})", "Core", state))
    for edit in found.edits:
        rows.append(
            (edit.start_ts, edit.operation, found.who(edit), "configuration edited")
        )
    recovery = found.outage.recovery
    if recovery is not None:
        rows.append(
            (recovery.start_ts, recovery.operation, found.who(recovery), "succeeded")
        )
    rows.sort(key=lambda row: row[0])
    return [
        "## Timeline (UTC)",
        "",
        "| Time | Event | By | Result |",
        "|---|---|---|---|",
        *(
            f"| {moment(at)} | {_cell(event)} | {_cell(by)} | {result} |"
            for at, event, by, result in rows
        ),
        "",
    ]


def _cell(text: str) -> str:
    return inline.markdown(text, cell=True)


def _cause(found: Incident, text: KindText) -> list[str]:
    evidence = next((f for f in found.outage.failures if f.evidence), None)
    lines = [
        "## Cause",
        "",
        f"Classified as `{found.outage.kind}`, {inline.markdown(text.title)}: "
        f"{inline.markdown(text.cause)}.",
        "",
    ]
    if evidence is None and found.outage.unread:
        lines.append(
            "No log line backs this, and why it failed is unknown: komodo-guard "
            "did not read these failures' logs and nothing else told their kind. "
            "Read the failed Updates' logs in Komodo."
        )
    elif evidence is None:
        lines.append(
            "No log line backs this: the failures' logs were not read, so the "
            "kind was inferred from the operation or from the nearest classified "
            "failure of the same target and work."
        )
    else:
        lines.extend(
            [
                f"Evidence (redacted), from {evidence.update.operation} at "
                f"{moment(evidence.at)}:",
                "",
                f"    {evidence.evidence}",
            ]
        )
    return [*lines, ""]


def _ending(found: Incident) -> list[str]:
    recovery = found.outage.recovery
    lines = ["## What ended it", ""]
    if recovery is None:
        lines.append(
            "Nothing yet: the latest update of this kind of work on "
            f"{inline.code(str(found.outage.target))} failed, and none succeeded "
            "after it."
        )
    else:
        commit = commit_of(recovery)
        lines.append(
            f"{inline.markdown(recovery.operation)} started by "
            f"{inline.markdown(found.who(recovery))} at {moment(recovery.start_ts)} "
            "succeeded" + (f", at commit `{commit}`." if commit else ".")
        )
    lines.append("")
    lines.extend(_edits(found))
    return [*lines, ""]


def _edits(found: Incident) -> list[str]:
    edits = found.edits
    since = (
        "since the last failure"
        if found.outage.open
        else "between the last failure and the recovery"
    )
    if not edits:
        return [f"No configuration edit of the target {since} is in Core's log."]
    lines = [f"Configuration edits of the target {since}:", ""]
    lines.extend(
        f"- {moment(u.start_ts)}: {inline.markdown(u.operation)} by "
        f"{inline.markdown(found.who(u))}"
        for u in edits
    )
    return lines


def _follow_ups(found: Incident, text: KindText) -> list[str]:
    lines = ["## Open follow-ups", "", f"- [ ] {inline.markdown(text.fix)}"]
    lines.extend(
        f"- [ ] {finding.code} {finding.name}: "
        f"{inline.markdown(sentence(finding.message))}"
        + (f" Fix: {inline.markdown(sentence(finding.hint))}" if finding.hint else "")
        for finding in found.findings
    )
    return [*lines, ""]
