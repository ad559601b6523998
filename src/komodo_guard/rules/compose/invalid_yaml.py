"""A compose file that compose cannot read: invalid YAML or a key written twice.

Docker compose decodes YAML with Go's yaml.v3, which stops at the first syntax
error and refuses a mapping that holds the same key twice (``mapping key
"image" already defined``). PyYAML and many editors silently keep the last
value, so such a file can look fine locally and still fail every deploy: the
Stack never comes up and Komodo logs only compose's error. The finding points
at the position the parser stopped at, or at the second copy of the key.

Files that are not UTF-8, are too large to read, or whose ``<<`` merge key
does not name a mapping are reported here too.

Equivalents: yamllint ``key-duplicates`` and syntax errors; KICS, compose-lint
and kube-linter have no rule for it (they fail to load such files).

Failing::

    services:
      web:
        image: nginx
        image: nginx:1.27

Passing::

    services:
      web:
        image: nginx:1.27
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


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per problem of every compose file."""
    for compose in workspace.compose_files:
        for problem in compose.problems:
            yield rule.finding(
                f"{problem.message}",
                location=Location(compose.path, problem.line, problem.column),
                hint=_hint(problem.kind),
            )


def _hint(kind: str) -> str:
    if kind == "duplicate-key":
        return "keep one copy of the key; compose does not merge them"
    if kind == "merge":
        return "write `<<: *anchor` where `anchor` names a mapping (`&anchor`)"
    return ""


RULE = RuleInfo(
    code="KG801",
    name="compose-invalid-yaml",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
