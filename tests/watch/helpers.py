"""Findings, cycles and an injected clock for the watch tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    ResourceRef,
    Severity,
)
from komodo_guard.watch.model import Cycle, Kind, Transition
from komodo_guard.watch.policy import Memory, decide
from komodo_guard.watch.settings import Policy

T0 = datetime(2026, 11, 29, 4, 12, tzinfo=UTC)
EVERY = timedelta(minutes=5)
TAKES = timedelta(seconds=20)


def pending(
    name: str = "homelab",
    days: int = 2,
    severity: Severity = Severity.WARNING,
    path: str | None = None,
    line: int = 3,
) -> Finding:
    """A sync-pending finding whose message carries a duration."""
    return Finding(
        code="KG1001",
        name="sync-pending",
        severity=severity,
        failure_class=FailureClass.SYNC_DRIFT,
        message=f"resource_sync {name!r} has been pending for {days} days 4 hours",
        location=None if path is None else Location(path, line, 1),
        resource=ResourceRef("resource_sync", name),
        hint="run the sync in Komodo",
    )


def stack_down(problem: str = "exited", severity: Severity = Severity.ERROR) -> Finding:
    """A stack-not-running finding for stack 'web'."""
    return Finding(
        code="KG1009",
        name="stack-not-running",
        severity=severity,
        failure_class=FailureClass.SILENT_FAILURE,
        message=f"stack 'web' on server 'box' is {problem} for 3 hours",
        resource=ResourceRef("stack", "web"),
    )


def unread(call: str = "alerters", reason: str = "HTTP 403") -> Finding:
    """A KG000 finding: Core answered, but one call could not be read."""
    return Finding(
        code="KG000",
        name="check-incomplete",
        severity=Severity.ERROR,
        failure_class=FailureClass.INCOMPLETE,
        message=f"could not read {call} from Komodo Core: {reason}; "
        "the checks that need it did not happen",
    )


Record = Callable[[Sequence[Finding], Cycle], Sequence[Transition]]


@dataclass
class Clock:
    """Runs cycles ``every`` apart from ``now``, each taking :data:`TAKES`."""

    record: Record
    now: datetime = T0
    every: timedelta = EVERY
    cycles: list[Cycle] = field(default_factory=list)

    def cycle(
        self, *findings: Finding, checked: bool = True, reason: str = ""
    ) -> list[Transition]:
        """One cycle reporting ``findings``; the clock then moves on."""
        cycle = Cycle(self.now, self.now + TAKES, checked, reason)
        self.cycles.append(cycle)
        self.now += self.every
        return list(self.record(findings, cycle))

    def down(self, reason: str = "connection refused") -> list[Transition]:
        """A cycle that could not reach Core."""
        return self.cycle(checked=False, reason=reason)

    def run(self, count: int, *findings: Finding) -> list[Transition]:
        """``count`` cycles with the same findings; all their transitions."""
        out: list[Transition] = []
        for _ in range(count):
            out += self.cycle(*findings)
        return out


@dataclass
class Pure:
    """:func:`decide` with its memory kept between calls."""

    policy: Policy = field(default_factory=Policy)
    memory: Memory = field(default_factory=Memory)

    def __call__(
        self, findings: Sequence[Finding], cycle: Cycle
    ) -> tuple[Transition, ...]:
        decision = decide(self.memory, findings, cycle, self.policy)
        self.memory = decision.memory
        return decision.transitions


def pure_clock(policy: Policy | None = None, every: timedelta = EVERY) -> Clock:
    """A clock over the pure decision, with ``policy``."""
    return Clock(Pure(policy or Policy()), every=every)


def kinds(transitions: Sequence[Transition]) -> list[Kind]:
    """The kinds of ``transitions``, in order."""
    return [transition.kind for transition in transitions]
