"""The result every format renders, and the format registry's key type."""

from __future__ import annotations

import enum
import posixpath
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from komodo_guard.rules.interface import Finding, Severity


class Format(enum.StrEnum):
    """Every output format of ``lint``; each maps to one renderer module."""

    TEXT = "text"
    GITHUB = "github"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"


@dataclass(frozen=True)
class ScopeSummary:
    """One sync scope as reports show it."""

    name: str
    files: int
    declared_at: str = ""


@dataclass(frozen=True)
class LiveSummary:
    """What a run read from Komodo Core, as reports show it.

    ``counts`` pairs a singular noun with how many Core returned, in report
    order (``("stack", 7)``; ``("update", 120)`` counts the window's updates);
    ``unread`` holds one line per call that could not be read, naming the call
    and why. ``demo`` marks the built-in
    emulator of ``--demo``.
    """

    url: str
    version: str
    since: datetime
    until: datetime
    counts: tuple[tuple[str, int], ...] = ()
    unread: tuple[str, ...] = ()
    refreshed: bool = False
    demo: bool = False

    @property
    def window_days(self) -> int:
        """The update log's window in whole days."""
        return round((self.until - self.since).total_seconds() / 86400)

    @property
    def core(self) -> str:
        """``Komodo Core 2.3.2 at URL`` (the demo says so)."""
        version = f" {self.version}" if self.version else ""
        place = "the built-in demo emulator at " if self.demo else ""
        return f"Komodo Core{version} ({place}{self.url})"


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
    live: LiveSummary | None = None
    """Set when the run also read Komodo Core (``drift``, ``audit --komodo``)."""
    checked: str = ""
    """What was checked, when it is not (only) a tree's files and resources:
    ``1 git checkout and 2 containers checked on host hearth`` for ``host``."""

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

    @property
    def suppressed(self) -> tuple[Finding, ...]:
        """Findings the operator suppressed, each with its reason."""
        return tuple(f for f in self.findings if f.suppressed)

    def path_from_cwd(self, path: str) -> str:
        """A finding's ``path`` (relative to the tree) as seen from the folder the
        command ran in: ``infra/stacks.toml`` for ``lint infra``."""
        root = self.root.replace("\\", "/")
        return posixpath.normpath(posixpath.join(root, path)) if root else path

    def summary(self) -> str:
        """One line: what was checked and how many findings of each severity."""
        counts = self.counts()
        line = (
            f"{self._checked()}: {plural(counts[Severity.ERROR], 'error')}, "
            f"{plural(counts[Severity.WARNING], 'warning')}, "
            f"{plural(counts[Severity.INFO], 'info')}"
        )
        hidden = len(self.suppressed)
        return f"{line}, {hidden} suppressed" if hidden else line

    def _checked(self) -> str:
        if self.checked:
            core = f" and {self.live.core}" if self.live is not None else ""
            return f"{self.checked}{core}"
        tree = (
            f"{plural(self.files_checked, 'file')}, "
            f"{plural(self.resources, 'resource')} checked for Komodo "
            f"{self.komodo_version}"
        )
        if self.live is None:
            return tree
        if not self.root:
            return f"{self.live.core} checked"
        return f"{tree} and {self.live.core}"


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
