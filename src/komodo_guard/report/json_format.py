"""Machine-readable JSON: one object with the run's context and every finding."""

from __future__ import annotations

import json
from typing import Any

from komodo_guard import __version__
from komodo_guard.report.interface import LintResult, LiveSummary
from komodo_guard.rules.interface import Finding, Severity


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """The stable JSON shape of one finding."""
    location = finding.location
    return {
        "path": location.path if location else None,
        "line": location.line if location else None,
        "column": location.column if location else None,
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.label,
        "class": finding.failure_class.value,
        "message": finding.message,
        "hint": finding.hint or None,
        "resource": (
            {"kind": finding.resource.kind, "name": finding.resource.name}
            if finding.resource
            else None
        ),
        "suppressed": finding.suppressed or None,
        "since": finding.since.isoformat() if finding.since else None,
    }


def live_to_dict(live: LiveSummary) -> dict[str, Any]:
    """What was read from Komodo Core, for runs that read it."""
    return {
        "url": live.url,
        "version": live.version or None,
        "demo": live.demo,
        "since": live.since.isoformat(),
        "until": live.until.isoformat(),
        "refreshed": live.refreshed,
        "counts": {f"{word.replace(' ', '_')}s": n for word, n in live.counts},
        "unread": list(live.unread),
    }


def render(result: LintResult) -> str:
    """The whole result as indented JSON; ``live`` is present only when the run
    read Komodo Core."""
    counts = result.counts()
    document = {
        "tool": {"name": "komodo-guard", "version": __version__},
        "root": result.root,
        "komodo_version": result.komodo_version,
        "summary": {
            "files": result.files_checked,
            "resources": result.resources,
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
            "suppressed": len(result.findings) - len(result.active),
        },
        "scopes": [
            {"name": s.name, "files": s.files, "declared_at": s.declared_at or None}
            for s in result.scopes
        ],
        "repo": result.repo_evidence or None,
        "notes": list(result.notes),
        "findings": [finding_to_dict(f) for f in result.findings],
    }
    if result.live is not None:
        document["live"] = live_to_dict(result.live)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
