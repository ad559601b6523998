"""A Batch* execution ``pattern`` that does not select what it seems to.

Batch executions (``BatchDeployStack``, ``BatchRunBuild``, ...) pick resources
by ``pattern``: a comma or newline separated list whose entries are wildcards
(``*`` any run of characters, ``?`` one) matched against the whole name, or
regexes when wrapped in backslashes (``\\^api-.*$\\``), searched in the name.

* An entry that looks like a regex (``^``, ``$``, ``.*``, ``(...)``, ``[...]``)
  but is not wrapped is a wildcard, so it matches (almost) nothing: warning.
* Rust's regex has no look-around and no backreferences, and a regex that does
  not compile makes the execution fail at run time: error.
* A pattern that matches no declared resource of its kind is reported as info
  (the resources may live in the UI); kinds with no declaration are skipped.

Write regexes in a literal (single-quoted) TOML string: in a double-quoted one
the closing ``\\"`` escapes the quote and the file no longer parses.

Failing::

    execution.type = "BatchDeployStack"
    execution.params.pattern = "^media-.*"

Passing::

    execution.type = "BatchDeployStack"
    execution.params.pattern = '\\^media-.*\\'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from komodo_guard.komodo.model import ExecutionSpec
from komodo_guard.komodo.patterns import BatchPattern, PatternEntry, compile_pattern
from komodo_guard.komodo.spec import PATTERN
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import ref
from komodo_guard.rules.references.index import names_by_kind
from komodo_guard.rules.references.procedures import StageExecution, stage_executions
from komodo_guard.workspace.model import Workspace

_REGEX_LOOK = re.compile(r"^\^|\$$|\.[*+]|\(.*\)|\[.*\]")


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Findings per pattern param of each Batch execution."""
    declared = names_by_kind(workspace.resources)
    for execution in stage_executions(workspace):
        spec = workspace.model.executions.get(execution.type or "")
        if spec is None or not spec.batch or execution.params is None:
            continue
        for key, kind in _pattern_params(spec):
            value = execution.params.get(key)
            if isinstance(value, str):
                checker = _Checker(rule, execution, key, kind)
                yield from checker.findings(compile_pattern(value), declared)


def _pattern_params(spec: ExecutionSpec) -> Iterator[tuple[str, str]]:
    for name, param in spec.params.items():
        if param.ref_by == PATTERN and param.ref is not None:
            yield name, param.ref


class _Checker:
    """Reports on one ``pattern`` value of one execution."""

    def __init__(self, rule: RuleInfo, execution: StageExecution, key: str, kind: str):
        self.rule = rule
        self.execution = execution
        self.key = key
        self.kind = kind

    def findings(
        self, pattern: BatchPattern, declared: Mapping[str, frozenset[str]]
    ) -> Iterator[Finding]:
        for entry in pattern.entries:
            if entry.error is not None:
                yield self.finding(
                    f"`{self.key}` entry {entry.text!r}: {entry.error}; the "
                    "execution fails when the procedure runs",
                    _error_hint(entry),
                    Severity.ERROR,
                )
            elif not entry.is_regex and _REGEX_LOOK.search(entry.text):
                yield self._unwrapped(entry)
        names = declared.get(self.kind, frozenset())
        if names and not pattern.errors and not any(map(pattern.matches, names)):
            yield self.finding(
                f"`{self.key}` {', '.join(e.text for e in pattern.entries)!r} "
                f"matches none of the {len(names)} {self.kind}(s) declared in "
                "this tree",
                "check the pattern; ignore this if the matching resources were "
                "created in the UI",
                Severity.INFO,
            )

    def _unwrapped(self, entry: PatternEntry) -> Finding:
        return self.finding(
            f"`{self.key}` entry {entry.text!r} looks like a regex but is not "
            "wrapped in backslashes, so Komodo matches it as a wildcard "
            "(only * and ? are special) against the whole name",
            f"wrap the regex in backslashes in a literal string: "
            f"{self.key} = '\\{entry.text}\\'",
            Severity.WARNING,
        )

    def finding(self, message: str, hint: str, severity: Severity) -> Finding:
        return self.rule.finding(
            f"{self.execution.label} ({self.execution.type}): {message}",
            location=self.execution.at("params", self.key, value=True),
            resource=ref(self.execution.procedure),
            hint=hint,
            severity=severity,
        )


def _error_hint(entry: PatternEntry) -> str:
    if not entry.is_regex:
        return (
            "in a wildcard a backslash may only escape *, ? or \\; to use a regex, "
            "wrap the whole entry in backslashes"
        )
    if "Rust regex lacks" in (entry.error or ""):
        return "Rust regex has no look-around or backreferences: rewrite the regex"
    return "fix the regex syntax"


RULE = RuleInfo(
    code="KG206",
    name="batch-pattern",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
