"""Small hand-made lint results for the renderer tests."""

from __future__ import annotations

from komodo_guard.report.interface import LintResult, ScopeSummary
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    ResourceRef,
    Severity,
)


def finding(
    code: str = "KG001",
    *,
    name: str = "syntax-error",
    severity: Severity = Severity.ERROR,
    failure_class: FailureClass = FailureClass.INVALID_CONFIG,
    message: str = "invalid TOML: expected `=`",
    location: Location | None = None,
    resource: ResourceRef | None = None,
    hint: str = "",
    suppressed: str = "",
) -> Finding:
    """A finding with sensible defaults; override what the test is about."""
    return Finding(
        code=code,
        name=name,
        severity=severity,
        failure_class=failure_class,
        message=message,
        location=location,
        resource=resource,
        hint=hint,
        suppressed=suppressed,
    )


SYNTAX = finding(location=Location("stacks.toml", 3, 7))
EMPTY = finding(
    "KG003",
    name="empty-file",
    severity=Severity.WARNING,
    message="empty file: it declares no Komodo resources",
    location=Location("empty.toml", 1, 1),
    hint="delete the file",
)
UNSYNCED = finding(
    "KG004",
    name="file-not-synced",
    severity=Severity.INFO,
    failure_class=FailureClass.SYNC_DRIFT,
    message="no resource_sync reads this file",
    location=Location("old/stack.toml", 1, 1),
    hint="add it to a sync's resource_path",
)


def result(
    *findings: Finding, root: str = ".", notes: tuple[str, ...] = ()
) -> LintResult:
    """A lint result over a three-file tree holding ``findings``."""
    return LintResult(
        root=root,
        komodo_version="2.3.2",
        findings=tuple(sorted(findings, key=lambda f: f.sort_key)),
        files_checked=3,
        resources=2,
        scopes=(ScopeSummary("main", 2, "sync.toml"),),
        repo_evidence="",
        notes=notes,
    )
