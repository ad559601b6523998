"""Which operations do the same work: a success of one ends a failure of another.

A stack that failed ``DeployStack`` is working again once any deploy-like
operation on it succeeds (a later ``DeployStack``, a ``PullStack`` followed by
``RestartStack``...); a successful ``StopStack`` says nothing about it. Each
family below lists such operations; an operation in no family is a family of
its own. ``DeployStackIfChanged`` records its Update as ``DeployStack``
(``client/core/rs/src/entities/mod.rs``, enum ``Operation``), and ``*Service``
variants act on part of a stack.
"""

from __future__ import annotations

FAMILIES: dict[str, tuple[str, ...]] = {
    "stack-deploy": (
        "DeployStack",
        "DeployStackService",
        "PullStack",
        "PullStackService",
        "RestartStack",
        "RestartStackService",
    ),
    "deployment-deploy": ("Deploy", "PullDeployment", "RestartDeployment"),
    "sync-run": ("RunSync",),
    "procedure-run": ("RunProcedure",),
    "action-run": ("RunAction",),
    "build-run": ("RunBuild",),
    "repo-pull": ("CloneRepo", "PullRepo", "BuildRepo"),
}

_FAMILY_OF = {
    operation: family
    for family, operations in FAMILIES.items()
    for operation in operations
}


def family_of(operation: str) -> str:
    """The family ``operation`` belongs to (itself when it is in none)."""
    return _FAMILY_OF.get(operation, operation)
