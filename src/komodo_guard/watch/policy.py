"""Which changes between cycles become alerts: a pure function of what was
remembered, what this cycle reported, and the policy.

:func:`decide` takes the :class:`Memory` (tracked findings, blind spots,
alerts held by a maintenance window), one cycle's findings and the
:class:`~.settings.Policy`, and returns the new memory with the transitions
to send. It reads no clock and no file; :mod:`.state` stores its result.

The rules, in the order they apply:

- A cycle that could not check Core counts towards "cannot be checked"
  (announced on the ``cannot_check_after``-th failure, reminded at the error
  interval, ended by "can be checked again"). ``KG000`` findings (class
  ``incomplete``) do the same for the call each names, and are not tracked as
  findings. Reasons lose URL credentials and query strings. Only a cycle
  that could check everything counts a missing finding towards resolving it:
  absent because unchecked is not absent because fixed.
- A suppressed finding (an inline ignore with its reason) counts as not
  reported. A finding is matched to what is remembered by identity; a
  finding whose message changed continues the most alike open finding of the
  same rule, resource and file that went missing this cycle, if their
  normalised messages are at least :data:`ALIKE` similar.
- new (first seen, or back after being resolved), worse (severity rose),
  resolved (missing for ``resolve_after`` good cycles, only if its opening was
  announced), reminder (still open after the interval for its severity).
- Opened more than ``flap_limit`` times within ``flap_window``: one flapping
  alert, then nothing until it has not changed for ``stable_after``, then one
  stable alert.
- A snoozed finding sends nothing; if its opening was never announced, the
  first cycle after the snooze announces it as new.
- Inside a maintenance window alerts are held (reminders are skipped) and
  sent as one summary by the first cycle after it. "Cannot be checked" is
  held too (maintenance often stops Core), but if it still lasts after the
  window it is sent on its own right after the summary.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from komodo_guard.rules.interface import Finding, Severity
from komodo_guard.rules.live.common import duration, scrub
from komodo_guard.watch import text
from komodo_guard.watch.identity import could_not_check, identity, normalise
from komodo_guard.watch.maintenance import in_maintenance
from komodo_guard.watch.model import (
    Alerted,
    BlindSpot,
    Cycle,
    Kind,
    TrackedFinding,
    Transition,
)
from komodo_guard.watch.settings import Policy

CORE = "cannot-check"
"""The blind spot of a cycle that could not check Core at all."""
MAINTENANCE = "maintenance"
"""The identity of maintenance summaries."""
ALIKE = 0.6
"""How similar (0 to 1) two normalised messages must be to continue a finding."""


@dataclass(frozen=True)
class Memory:
    """What the decision needs from earlier cycles.

    ``findings`` must hold every open finding, every flapping one, and every
    remembered finding whose identity this cycle reports; others may be
    left out.
    """

    findings: Mapping[str, TrackedFinding] = field(default_factory=dict)
    blind_spots: Mapping[str, BlindSpot] = field(default_factory=dict)
    held: tuple[Transition, ...] = ()


@dataclass(frozen=True)
class Decision:
    """The memory after a cycle, and the transitions to send, in order."""

    memory: Memory
    transitions: tuple[Transition, ...]


def decide(
    memory: Memory, findings: Sequence[Finding], cycle: Cycle, policy: Policy
) -> Decision:
    """Apply one cycle's ``findings`` to ``memory`` under ``policy``."""
    step = _Step(memory, cycle, policy)
    active = [f for f in findings if not f.suppressed]
    incomplete = [f for f in active if could_not_check(f)]
    ordinary = [f for f in active if not could_not_check(f)]
    step.release()
    step.blind_spots(incomplete)
    seen = match(step.records, ordinary)
    for key in sorted(seen):
        step.seen(key, seen[key])
    complete = cycle.checked and not incomplete
    for key in sorted(step.records):
        if key not in seen and complete and step.records[key].is_open:
            step.absent(step.records[key])
        step.stable(step.records[key])
        step.remind(step.records[key])
    return step.decision()


def match(
    records: Mapping[str, TrackedFinding], findings: Sequence[Finding]
) -> dict[str, Finding]:
    """This cycle's findings by the identity they continue.

    Findings with one identity are merged, keeping the most severe. A finding
    whose identity is unknown continues the most alike open record of the
    same code, resource and file that this cycle does not report otherwise.
    """
    current: dict[str, Finding] = {}
    for finding in findings:
        key = identity(finding)
        if key not in current or finding.severity > current[key].severity:
            current[key] = finding
    matched = {key: f for key, f in current.items() if key in records}
    orphans = [r for key, r in records.items() if r.is_open and key not in current]
    for key in sorted(set(current) - set(matched)):
        finding = current[key]
        record = _most_alike(finding, orphans)
        if record is None:
            matched[key] = finding
        else:
            orphans.remove(record)
            matched[record.identity] = finding
    return matched


def _most_alike(
    finding: Finding, records: Sequence[TrackedFinding]
) -> TrackedFinding | None:
    path = finding.location.path if finding.location else ""
    wanted = normalise(finding.message)
    best: tuple[float, str, TrackedFinding] | None = None
    for record in records:
        if (record.code, record.resource, record.path) != (
            finding.code,
            finding.resource,
            path,
        ):
            continue
        ratio = difflib.SequenceMatcher(None, normalise(record.message), wanted).ratio()
        if ratio >= ALIKE and (best is None or ratio > best[0]):
            best = (ratio, record.identity, record)
    return None if best is None else best[2]


class _Step:
    """One cycle's decision in progress."""

    def __init__(self, memory: Memory, cycle: Cycle, policy: Policy) -> None:
        self.cycle = cycle
        self.policy = policy
        self.at = cycle.ended
        self.quiet = in_maintenance(policy.maintenance, self.at)
        self.records = dict(memory.findings)
        self.blind = dict(memory.blind_spots)
        self.held = list(memory.held)
        self.out: list[Transition] = []

    def decision(self) -> Decision:
        memory = Memory(self.records, self.blind, tuple(self.held))
        return Decision(memory, tuple(self.out))

    def emit(self, transition: Transition) -> None:
        (self.held if self.quiet else self.out).append(transition)

    def release(self) -> None:
        """Send what a maintenance window held, once it is over."""
        if self.quiet or not self.held:
            return
        held, self.held = self.held, []
        self.out.append(
            Transition(
                kind=Kind.MAINTENANCE_SUMMARY,
                identity=MAINTENANCE,
                severity=max(t.severity for t in held),
                title=text.summary_title(held),
                body=text.summary_body(held),
                first_seen=min(t.at for t in held),
                at=self.at,
            )
        )

    # Blind spots: what could not be checked.

    def blind_spots(self, incomplete: Sequence[Finding]) -> None:
        if not self.cycle.checked:
            self.failing(CORE, text.CORE_SUBJECT, scrub(self.cycle.reason))
            return
        self.recovered(CORE)
        current = {f"{CORE}:{identity(f)}": f for f in incomplete}
        for key in sorted(current):
            message = scrub(current[key].message)
            self.failing(key, message.partition(": ")[0], message)
        for key in sorted(set(self.blind) - set(current) - {CORE}):
            self.recovered(key)

    def failing(self, key: str, subject: str, reason: str) -> None:
        spot = self.blind.get(key) or BlindSpot(
            key, subject, reason, since=self.cycle.started, failures=0
        )
        spot = replace(spot, failures=spot.failures + 1, reason=reason)
        if spot.failures >= self.policy.cannot_check_after:
            spot = self.announce(spot)
        self.blind[key] = spot

    def announce(self, spot: BlindSpot) -> BlindSpot:
        interval = self.policy.reminders.error
        if spot.alerted is Alerted.SENT:
            due = spot.last_notified is None or (
                interval is not None and self.at - spot.last_notified >= interval
            )
            if self.quiet or not due:
                return spot
            kind, title = Kind.REMINDER, text.blind_title(spot, still=True)
        elif self.quiet and spot.alerted is Alerted.HELD:
            return spot
        else:
            kind, title = Kind.CANNOT_CHECK, text.blind_title(spot)
        self.emit(self.blind_transition(spot, kind, title, text.blind_body(spot)))
        alerted = Alerted.HELD if self.quiet else Alerted.SENT
        return replace(spot, alerted=alerted, last_notified=self.at)

    def recovered(self, key: str) -> None:
        spot = self.blind.pop(key, None)
        if spot is None or spot.alerted is Alerted.NO:
            return
        title = f"Komodo can be checked again: {spot.subject}"
        body = text.recovered_body(spot, self.at)
        self.emit(self.blind_transition(spot, Kind.CAN_CHECK_AGAIN, title, body))

    def blind_transition(
        self, spot: BlindSpot, kind: Kind, title: str, body: str
    ) -> Transition:
        return Transition(
            kind, spot.key, Severity.ERROR, title, body, spot.since, self.at
        )

    # Findings.

    def seen(self, key: str, finding: Finding) -> None:
        record = self.records.get(key)
        if record is None:
            self.records[key] = self.tell(self.opened(key, finding), Kind.NEW)
            return
        fresh = replace(
            record,
            severity=finding.severity,
            title=text.finding_title(finding),
            message=finding.message,
            hint=finding.hint,
            last_seen=self.cycle.started,
            missing=0,
            since=finding.since or record.since,
        )
        if not record.is_open:
            fresh = self.reopened(fresh, finding)
        elif finding.severity > record.severity and record.flapping_since is None:
            lead = (
                f"Severity rose from {record.severity.label} to "
                f"{finding.severity.label}."
            )
            fresh = self.tell(fresh, Kind.WORSE, lead)
        self.records[key] = fresh

    def opened(self, key: str, finding: Finding) -> TrackedFinding:
        return TrackedFinding(
            identity=key,
            code=finding.code,
            name=finding.name,
            severity=finding.severity,
            title=text.finding_title(finding),
            message=finding.message,
            hint=finding.hint,
            resource=finding.resource,
            path=finding.location.path if finding.location else "",
            first_seen=self.cycle.started,
            last_seen=self.cycle.started,
            changed_at=self.at,
            since=finding.since,
            flaps=(self.at,),
        )

    def reopened(self, record: TrackedFinding, finding: Finding) -> TrackedFinding:
        window = self.policy.flap_window
        flaps = (*(t for t in record.flaps if self.at - t < window), self.at)
        record = replace(
            record,
            first_seen=self.cycle.started,
            resolved_at=None,
            changed_at=self.at,
            since=finding.since,
            flaps=flaps,
        )
        if record.flapping_since is not None:
            return record
        if len(flaps) > self.policy.flap_limit:
            record = replace(record, flapping_since=self.at)
            lead = (
                f"Flapping: opened {len(flaps)} times within "
                f"{duration(window)}. Its changes stay quiet until it has "
                f"not changed for {duration(self.policy.stable_after)}."
            )
            return self.tell(record, Kind.FLAPPING, lead)
        return self.tell(record, Kind.NEW)

    def absent(self, record: TrackedFinding) -> None:
        missing = record.missing + 1
        if missing < self.policy.resolve_after:
            self.records[record.identity] = replace(record, missing=missing)
            return
        done = replace(record, missing=missing, resolved_at=self.at, changed_at=self.at)
        if record.flapping_since is None and announced(record):
            done = self.tell(done, Kind.RESOLVED, text.resolved_lead(done, self.at))
        self.records[record.identity] = done

    def stable(self, record: TrackedFinding) -> None:
        if record.flapping_since is None:
            return
        if self.at - record.changed_at < self.policy.stable_after:
            return
        calm = replace(record, flapping_since=None, flaps=())
        state = "still open" if record.is_open else "resolved"
        lead = (
            f"Stable again: {state}, without change for "
            f"{duration(self.at - record.changed_at)}."
        )
        self.records[record.identity] = self.tell(calm, Kind.STABLE, lead)

    def remind(self, record: TrackedFinding) -> None:
        if not record.is_open or record.flapping_since is not None:
            return
        if record.snoozed(self.at):
            return
        if not announced(record):
            lead = "Announced now: it opened while snoozed."
            self.records[record.identity] = self.tell(record, Kind.NEW, lead)
            return
        interval = self.policy.reminders.interval(record.severity)
        if interval is None or self.quiet or record.last_notified is None:
            return
        if self.at - record.last_notified >= interval:
            lead = f"Still open, reminder {record.notify_count}."
            self.records[record.identity] = self.tell(record, Kind.REMINDER, lead)

    def tell(
        self, record: TrackedFinding, kind: Kind, lead: str = ""
    ) -> TrackedFinding:
        """Emit ``kind`` for ``record`` unless it is snoozed; note the alert."""
        if record.snoozed(self.at):
            return record
        self.emit(
            Transition(
                kind=kind,
                identity=record.identity,
                severity=record.severity,
                title=record.title,
                body=text.finding_body(record, self.at, lead),
                first_seen=record.began(),
                at=self.at,
            )
        )
        return replace(
            record, last_notified=self.at, notify_count=record.notify_count + 1
        )


def announced(record: TrackedFinding) -> bool:
    """Whether the current episode of ``record`` was told to anyone."""
    notified: datetime | None = record.last_notified
    return notified is not None and notified >= record.first_seen
