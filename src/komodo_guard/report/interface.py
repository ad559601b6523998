"""The result every format renders, and the format registry's key type."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field

from komodo_guard.rules.interface import Finding, Severity


class Format(enum.StrEnum):
    """Every output format of ``lint``; each maps to one renderer module."""

    TEXT = "text"
    GITHUB = "github"
    JSON = "json"
    SARIF = "sarif"


@dataclass(frozen=True)
class ScopeSummary:
    """One sync scope as reports show it."""

    name: str
    files: int
    declared_at: str = ""


@dataclass(frozen=True)
class LintResult:
    """What a lint run found, with enough context to explain it."""

    root: str
    komodo_version: str
    findings: tuple[Finding, ...]
    files_checked: int
    resources: int
    scopes: tuple[ScopeSummary, ...] = ()
    repo_evidence: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def active(self) -> tuple[Finding, ...]:
        """Findings not suppressed by the operator."""
        return tuple(f for f in self.findings if not f.suppressed)

    def counts(self) -> Counter[Severity]:
        """Active findings per severity."""
        return Counter(finding.severity for finding in self.active)

    def fails(self, threshold: Severity) -> bool:
        """True when an active finding is at or above ``threshold``."""
        return any(finding.severity >= threshold for finding in self.active)
