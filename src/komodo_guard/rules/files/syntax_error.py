"""A resource file Komodo cannot parse.

Komodo records a file that fails to parse in the sync's ``file_errors`` and then
refuses to run the sync at all ("Found file errors. Cannot execute sync."), so one
broken file stops every change in every file of that sync. The finding points at the
position the TOML parser (the same Rust ``toml`` crate Core uses) stopped at.

Files that are not UTF-8, or that are too large to read, are reported here too.

Komodo 1.x parses TOML 1.0; 2.x parses TOML 1.1, which adds multi-line inline
tables and trailing commas. Lint with ``--komodo-version`` set to what you run.

Failing::

    [[stack]]
    name = "app
    [stack.config]

Passing::

    [[stack]]
    name = "app"
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.model import Workspace

_KINDS = ("syntax", "encoding", "too-large")


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per file problem of the kinds above."""
    for file in workspace.toml_files:
        for problem in file.problems:
            if problem.kind not in _KINDS:
                continue
            yield rule.finding(
                problem.message,
                location=Location(file.path, problem.line, problem.column),
                hint=_hint(problem.message, workspace.model.toml_spec),
            )


def _hint(message: str, toml_spec: str) -> str:
    if "inline table" in message and toml_spec == "1.0":
        return (
            "multi-line inline tables and trailing commas need TOML 1.1 "
            "(Komodo 2.x); put the inline table on one line or use a [table]"
        )
    if "escape" in message:
        return (
            "in a double-quoted string a backslash starts an escape; write "
            "regexes and Windows paths in a literal 'single-quoted' string"
        )
    return ""


RULE = RuleInfo(
    code="KG001",
    name="syntax-error",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
