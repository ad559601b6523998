"""A ``${VAR}`` in a compose file that nothing provides: compose uses "".

Compose replaces ``${VAR}`` and ``$VAR`` with an empty string when the
variable is unset and only prints a warning on the host, so
``image: app:${TAG}`` pulls ``app:`` and ``PASSWORD=${DB_PASSWORD}`` starts a
database with an empty password. For each Stack of this tree that deploys the
file, the variable is looked for where compose will find it: the Stack's
``environment`` (Komodo writes it to ``env_file_path`` and passes it with
``--env-file``), that env file when it is committed, the Stack's
``additional_env_files`` that are in the tree, and the ``.env`` beside the
compose file. The message names the Stack and where it looked.

Not reported: variables with a fallback (``${VAR:-x}``, ``${VAR-x}``,
``${VAR:?msg}``, ``${VAR:+x}``), escaped ``$$VAR``, Stacks that also read an
env file this tree does not hold (an absolute ``additional_env_files`` path on
the host), and compose files no Stack of this tree deploys (their environment
is unknown). Variables set in the Periphery process's own environment are not
visible to this check.

Equivalents: compose's own "The VAR variable is not set. Defaulting to a
blank string." warning; dclint and KICS have none.

Failing (the Stack sets no ``TAG``)::

    services:
      app:
        image: ghcr.io/example/app:${TAG}

Passing::

    [stack.config]
    environment = "TAG = 1.4.2"
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    ResourceRef,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.compose import ComposeFile, Deployment, VariableUse
from komodo_guard.workspace.compose_interpolation import Fallback
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per bare variable use and Stack that does not provide it."""
    for compose in workspace.compose_files:
        bare = [use for use in compose.variables if use.fallback is Fallback.NONE]
        for deployment in compose.deployments:
            if deployment.unknown:
                continue
            for use in bare:
                if use.name not in deployment.provided:
                    yield _finding(rule, compose, deployment, use)


def _finding(
    rule: RuleInfo, compose: ComposeFile, deployment: Deployment, use: VariableUse
) -> Finding:
    places = ", ".join(deployment.looked_in)
    return rule.finding(
        f"`${{{use.name}}}` is not set for stack {deployment.stack!r} (looked in "
        f"{places}); compose will substitute an empty string",
        location=Location(compose.path, use.line, use.column),
        resource=ResourceRef("stack", deployment.stack),
        hint=(
            f"add `{use.name} = ...` to the stack's environment (use a "
            f"[[VARIABLE]] for secrets), or give it a default: "
            f"`${{{use.name}:-value}}`, or make it required: "
            f"`${{{use.name}:?why it is needed}}`"
        ),
    )


RULE = RuleInfo(
    code="KG803",
    name="compose-unset-variable",
    severity=Severity.WARNING,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
