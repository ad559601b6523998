"""Inline suppressions: ``# komodo-guard: ignore[CODE] reason``.

A comment on the finding's own line, or alone on the line just above it, that names
the finding's code or name (several separated by commas) marks the finding as
suppressed with that reason. Suppressed findings stay in JSON and SARIF output,
marked, and leave the exit code alone. A suppression without a reason suppresses
nothing; rule KG005 reports it, so every exception carries its why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from komodo_guard.rules.interface import Finding
from komodo_guard.workspace.model import Workspace

_COMMENT = re.compile(
    r"#\s*komodo-guard:\s*ignore\[(?P<codes>[^\]]*)\]\s*(?P<reason>[^#]*)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Suppression:
    """One suppression comment: where it is, what it names and why."""

    path: str
    line: int
    codes: frozenset[str]
    reason: str
    standalone: bool

    def covers(self, finding: Finding) -> bool:
        """True for a finding on this line, or the next one if the comment stands
        alone on its line, whose code or name is listed."""
        location = finding.location
        if location is None or location.path != self.path:
            return False
        lines = {self.line, self.line + 1} if self.standalone else {self.line}
        named = finding.code.upper() in self.codes or finding.name in self.codes
        return location.line in lines and named


def scan(path: str, lines: Sequence[str]) -> Iterator[Suppression]:
    """Every suppression comment of one file's lines."""
    for number, line in enumerate(lines, start=1):
        if "komodo-guard" not in line:
            continue
        match = _COMMENT.search(line)
        if match is None:
            continue
        codes = frozenset(
            code.strip().upper()
            if code.strip().upper().startswith("KG")
            else code.strip().lower()
            for code in match.group("codes").split(",")
            if code.strip()
        )
        standalone = line[: match.start()].strip() == ""
        yield Suppression(
            path, number, codes, match.group("reason").strip(), standalone
        )


def suppressions(workspace: Workspace) -> list[Suppression]:
    """Suppression comments of every TOML and compose file the workspace read."""
    found: list[Suppression] = []
    for file in workspace.toml_files:
        found.extend(scan(file.path, file.lines))
    for compose in workspace.compose_files:
        if compose.text is not None:
            found.extend(scan(compose.path, compose.text.splitlines()))
    return found


def apply_suppressions(
    findings: Sequence[Finding], workspace: Workspace
) -> list[Finding]:
    """Mark findings covered by a suppression that gives a reason."""
    comments = suppressions(workspace)
    result = []
    for finding in findings:
        reason = next(
            (c.reason for c in comments if c.reason and c.covers(finding)), ""
        )
        result.append(replace(finding, suppressed=reason) if reason else finding)
    return result
