"""A baseline: the findings an existing setup already had, recorded once.

``lint --write-baseline FILE`` records every active finding by a fingerprint that
survives unrelated edits: the rule code, the file, the resource and the message,
but not the line (lines move when someone adds a stack above). ``lint --baseline
FILE`` then marks findings whose fingerprint is recorded as suppressed ("in
baseline"), so only new problems fail the gate. Each fingerprint is counted, so a
second copy of a recorded problem is new. The file holds no secret: findings never
carry one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from komodo_guard.rules.interface import Finding

FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read or is not a komodo-guard baseline."""


def fingerprint(finding: Finding) -> str:
    """A stable identity for a finding that ignores its line and column."""
    location = finding.location.path if finding.location else ""
    resource = str(finding.resource) if finding.resource else ""
    text = "\x1f".join((finding.code, location, resource, finding.message))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Baseline:
    """Recorded fingerprints with how many findings had each."""

    counts: Counter[str]

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Read a baseline written by :meth:`write`."""
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise BaselineError(f"{path}: cannot read: {error.strerror}") from error
        except json.JSONDecodeError as error:
            raise BaselineError(
                f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}"
            ) from error
        if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
            raise BaselineError(
                f"{path}: not a komodo-guard baseline (expected an object with "
                f'"version": {FORMAT_VERSION}); write one with --write-baseline'
            )
        entries = document.get("findings", [])
        if not isinstance(entries, list):
            raise BaselineError(f'{path}: "findings" must be an array')
        return cls(Counter(_fingerprints(entries, path)))

    @staticmethod
    def write(findings: Sequence[Finding], path: Path) -> None:
        """Record ``findings`` in ``path`` atomically."""
        entries = [
            {
                "fingerprint": fingerprint(finding),
                "code": finding.code,
                "path": finding.location.path if finding.location else None,
                "message": finding.message,
            }
            for finding in findings
        ]
        document = {"version": FORMAT_VERSION, "findings": entries}
        temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            temporary.write_text(
                json.dumps(document, indent=2) + "\n", encoding="utf-8"
            )
            os.replace(temporary, path)
        except OSError as error:
            raise BaselineError(f"{path}: cannot write: {error.strerror}") from error
        finally:
            temporary.unlink(missing_ok=True)

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Mark findings recorded in the baseline as suppressed."""
        remaining = Counter(self.counts)
        result = []
        for finding in findings:
            key = fingerprint(finding)
            if not finding.suppressed and remaining[key] > 0:
                remaining[key] -= 1
                finding = replace(finding, suppressed="in baseline")
            result.append(finding)
        return result


def _fingerprints(entries: list[object], path: Path) -> Iterable[str]:
    for index, entry in enumerate(entries):
        value = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(value, str):
            raise BaselineError(f"{path}: finding {index} has no fingerprint")
        yield value
