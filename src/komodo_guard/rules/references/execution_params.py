"""Execution params that do not belong to the execution, or required ones missing.

Komodo ignores unknown keys in an execution's ``params``, so a misspelt or
outdated param does nothing: since 1.17 ``DeployStack`` takes a ``services``
list, and an old ``service = "web"`` is dropped, so the whole stack is deployed.
That is a warning.

A missing ``params`` table, or a missing required param such as the target
(``stack`` for ``DeployStack``, ``pattern`` for the Batch executions), fails to
deserialise and rejects the whole file: that is an error.

Failing::

    execution.type = "DeployStack"
    execution.params = { stack = "app", service = "web" }

Passing::

    execution.type = "DeployStack"
    execution.params = { stack = "app", services = ["web"] }
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.model import ExecutionSpec, load, param_history
from komodo_guard.komodo.versions import SUPPORTED, KomodoVersion
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
    """Missing params table, missing required params, then unknown params."""
    for execution in stage_executions(workspace):
        spec = workspace.model.executions.get(execution.type or "")
        if spec is None:
            continue
        if execution.params is None:
            yield _no_params(rule, execution, spec)
            continue
        yield from _missing_required(rule, execution, spec)
        for key in execution.params:
            if spec.param(key) is None:
                yield _unknown(rule, execution, spec, key, workspace.model.version)


def _no_params(
    rule: RuleInfo, execution: StageExecution, spec: ExecutionSpec
) -> Finding:
    required = [name for name, param in spec.params.items() if param.required]
    example = ", ".join(f'{name} = "..."' for name in required)
    return rule.finding(
        f"{execution.label} ({spec.name}) has no `params` table; Komodo needs one "
        "(even an empty `params = {}`) and rejects the whole file without it",
        location=execution.at("type"),
        resource=ref(execution.procedure),
        severity=Severity.ERROR,
        hint=f"add execution.params = {{ {example} }}"
        if example
        else "add params = {}",
    )


def _missing_required(
    rule: RuleInfo, execution: StageExecution, spec: ExecutionSpec
) -> Iterator[Finding]:
    assert execution.params is not None
    for name, param in spec.params.items():
        if param.required and not any(s in execution.params for s in param.spellings):
            what = "target" if name == spec.target_param else "required param"
            yield rule.finding(
                f"{execution.label} ({spec.name}) is missing its {what} `{name}`; "
                "the file fails to parse, so the sync applies nothing",
                location=execution.at("params"),
                resource=ref(execution.procedure),
                severity=Severity.ERROR,
                hint=f'add {name} = "..." to the execution\'s params',
            )


def _unknown(
    rule: RuleInfo,
    execution: StageExecution,
    spec: ExecutionSpec,
    key: str,
    version: KomodoVersion,
) -> Finding:
    detail, hint = _explain(spec, key, version)
    return rule.finding(
        f"{execution.label}: `{key}` is not a param of {spec.name} in Komodo "
        f"{version}, so it is ignored; {detail}",
        location=execution.at("params", key),
        resource=ref(execution.procedure),
        hint=hint,
    )


def _explain(spec: ExecutionSpec, key: str, version: KomodoVersion) -> tuple[str, str]:
    try:
        since, removed = param_history(spec.name, key)
    except KeyError:
        since = removed = None
    if since is not None and since > version:
        return f"it needs Komodo >= {since}", f"upgrade Komodo or remove `{key}`"
    if removed is not None and removed <= version:
        successor = _renamed_to(spec.name, key)
        if successor is not None:
            return (
                f"Komodo {removed} replaced it with `{successor}`",
                f"did you mean `{successor}`? (write {successor} = [...])",
            )
        return f"Komodo {removed} removed it", f"remove `{key}`"
    suggestion = closest(key, spec.params)
    if suggestion is not None:
        return "it looks like a typo", f"did you mean `{suggestion}`?"
    params = ", ".join(f"`{name}`" for name in spec.params) or "none"
    return f"{spec.name} takes: {params}", f"remove `{key}` or fix its name"


def _renamed_to(execution: str, key: str) -> str | None:
    for version in SUPPORTED:
        older = load(version).executions.get(execution)
        param = older.param(key) if older is not None else None
        if param is not None and param.renamed_to is not None:
            return param.renamed_to
    return None


RULE = RuleInfo(
    code="KG205",
    name="execution-params",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
