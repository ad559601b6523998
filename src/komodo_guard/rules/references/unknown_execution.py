"""A procedure stage execution whose ``type`` Komodo does not know.

Each execution is ``{type = "<Execution>", params = {...}}``, and ``type`` must
name one of the executions of the Komodo release you run. An unknown (or
misspelt, or too new) type fails to deserialise, which rejects the whole file:
the sync stops with a file error and applies nothing. A missing ``execution``
table or ``type`` key fails the same way.

Failing::

    executions = [
      { execution.type = "DeployStacks", execution.params.stack = "app" },
    ]

Passing::

    executions = [
      { execution.type = "DeployStack", execution.params.stack = "app" },
    ]

Executions added in a later release than the target say which release they need.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.model import load
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import ref
from komodo_guard.rules.references.procedures import StageExecution, stage_executions
from komodo_guard.rules.references.suggest import closest
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per stage execution with a missing or unknown ``type``."""
    known = workspace.model.executions
    for execution in stage_executions(workspace):
        if execution.type is None:
            yield _missing(rule, execution)
        elif execution.type not in known:
            yield _unknown(rule, workspace, execution)


def _missing(rule: RuleInfo, execution: StageExecution) -> Finding:
    return rule.finding(
        f"{execution.label} has no execution type: Komodo needs "
        '`execution = {type = "...", params = {...}}` and rejects the whole file',
        location=execution.at("type"),
        resource=ref(execution.procedure),
        hint='write the execution as { execution.type = "DeployStack", '
        'execution.params.stack = "<stack>" }',
    )


def _unknown(
    rule: RuleInfo, workspace: Workspace, execution: StageExecution
) -> Finding:
    assert execution.type is not None
    version = workspace.model.version
    newer = load().executions.get(execution.type)
    if newer is not None and newer.since is not None and newer.since > version:
        detail = f"it needs Komodo >= {newer.since} (linting for {version})"
        hint = f"upgrade Komodo to {newer.since} or later, or use another execution"
    else:
        suggestion = closest(execution.type, workspace.model.executions)
        detail = f"Komodo {version} has no such execution"
        hint = (
            f'did you mean "{suggestion}"?'
            if suggestion
            else "see the Execution list in Komodo's docs for the valid types"
        )
    return rule.finding(
        f"{execution.label} has unknown execution type {execution.type!r}: {detail}; "
        "the file fails to parse, so the sync applies nothing",
        location=execution.at("type", value=True),
        resource=ref(execution.procedure),
        hint=hint,
    )


RULE = RuleInfo(
    code="KG204",
    name="unknown-execution",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
