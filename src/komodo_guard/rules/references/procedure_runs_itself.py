"""A procedure with a ``RunProcedure`` execution that runs the procedure itself.

Komodo refuses to save a Procedure whose stages hold a ``RunProcedure``
targeting that same Procedure (``resource/procedure.rs::validate_config``,
FACTS §1.4): the sync fails to create or update it, so none of its stages
change. (The recursion would never end.)

Failing::

    [[procedure]]
    name = "nightly"
    [[procedure.config.stage]]
    name = "again"
    executions = [
      { execution.type = "RunProcedure", execution.params.procedure = "nightly" },
    ]

Passing: run the stages directly, or schedule the procedure instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import ref
from komodo_guard.rules.references.procedures import StageExecution, stage_executions
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per ``RunProcedure`` execution aimed at its own procedure."""
    for execution in stage_executions(workspace):
        if execution.type != "RunProcedure" or execution.params is None:
            continue
        target = execution.params.get("procedure")
        name = execution.procedure.name
        if name and isinstance(target, str) and target.strip() == name:
            yield _finding(rule, execution)


def _finding(rule: RuleInfo, execution: StageExecution) -> Finding:
    procedure = execution.procedure
    return rule.finding(
        f"{execution.label} runs {procedure.label} itself; Komodo refuses a "
        "procedure that runs itself, so the sync fails to create or update it",
        location=execution.at("params", "procedure", value=True),
        resource=ref(procedure),
        hint="remove this execution (add the stages it should repeat instead), "
        "or point it at another procedure",
    )


RULE = RuleInfo(
    code="KG215",
    name="procedure-runs-itself",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
