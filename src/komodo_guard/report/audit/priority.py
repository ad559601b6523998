"""The one place that decides how urgent a finding is.

- **P0**: breaks deploys or leaks secrets (a file Komodo rejects, a missing compose
  file, an ``after`` cycle, a plaintext secret), or production failing right now
  as Core reports it (an open outage, a stack down, no alerter at all).
- **P1**: silent drift (ignored keys, unapplied variables, files under no sync,
  duplicates, schedules that never run, disabled alerters).
- **P2**: hygiene.

A rule listed in :data:`RULE_PRIORITIES` gets its priority from there; every other
finding from :func:`default_priority` over its severity and failure class.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from komodo_guard.rules.interface import FailureClass, Finding, Severity


class Priority(enum.IntEnum):
    """How soon to fix a finding; lower is sooner."""

    P0 = 0
    P1 = 1
    P2 = 2

    @property
    def label(self) -> str:
        """``P0``, ``P1`` or ``P2``."""
        return self.name

    @property
    def meaning(self) -> str:
        """What the priority stands for, in the report's words."""
        return _MEANINGS[self]


_MEANINGS = {
    Priority.P0: "breaks deploys, is failing now or leaks secrets",
    Priority.P1: "silent drift",
    Priority.P2: "hygiene",
}

# Rules whose default severity and class do not say how urgent they are, by name.
RULE_PRIORITIES: Mapping[str, Priority] = MappingProxyType(
    {
        # Only informational, but what such a file declares never reaches Komodo.
        "file-not-synced": Priority.P1,
    }
)

# Live rules whose errors mean something is failing in production right now.
FAILING_NOW = frozenset(
    {
        "outage-open",
        "stack-not-running",
        "stack-files-unreadable",
        "execution-failed",
        "sync-error",
        "server-unreachable",
        "alerts-not-sent",
    }
)

_SECRETS = frozenset({FailureClass.SECRET_DRIFT, FailureClass.EXPOSURE})
_BREAKS_DEPLOYS = frozenset({FailureClass.INVALID_CONFIG, FailureClass.LIFECYCLE})


def default_priority(severity: Severity, failure_class: FailureClass) -> Priority:
    """Infos are hygiene; secret and exposure problems, and errors that make
    Komodo reject a file or stop a deploy, are P0; everything else is drift."""
    if severity is Severity.INFO:
        return Priority.P2
    if failure_class in _SECRETS:
        return Priority.P0
    if severity is Severity.ERROR and failure_class in _BREAKS_DEPLOYS:
        return Priority.P0
    return Priority.P1


def priority_of(finding: Finding) -> Priority:
    """The finding's priority: its rule's entry in the table, else the default."""
    for key in (finding.name, finding.code):
        if key in RULE_PRIORITIES:
            return RULE_PRIORITIES[key]
    if finding.name in FAILING_NOW and finding.severity is Severity.ERROR:
        return Priority.P0
    return default_priority(finding.severity, finding.failure_class)
