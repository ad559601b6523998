"""A compose file that breaks the compose specification.

Compose validates every file against the compose-spec schema before it does
anything else, so an unknown key (``restrat: always``), a value of the wrong
shape (``ports: 80`` where a list is expected) or an unknown
``depends_on`` condition stops the deploy with a schema error. The schema is
the one shipped with the installed check-jsonschema package, which follows
compose-spec upstream; errors are reported at the key they are about, with a
did-you-mean for misspelt keys.

Compose validates after ``${VAR}`` interpolation, so values that hold a
variable (``cpus: ${CPUS}``) are not judged: only the host knows them.

Equivalents: ``docker compose config`` (which is what Komodo runs); dclint's
schema check; KICS, compose-lint and kube-linter assume a valid file.

Failing::

    services:
      web:
        image: nginx:1.27
        restrat: always

Passing::

    services:
      web:
        image: nginx:1.27
        restart: always
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.compose.common import at
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per compose-spec violation."""
    for compose in workspace.compose_files:
        for error in compose.schema_errors:
            yield rule.finding(
                error.message,
                location=at(compose, error.path, value=not error.key),
                hint=error.hint,
            )


RULE = RuleInfo(
    code="KG802",
    name="compose-schema",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
