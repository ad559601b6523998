"""A ``[[variable]]`` whose name or value Komodo Core refuses to create.

Core validates every Variable it creates (``bin/core/src/helpers/validations.rs``,
FACTS §1.2): the name must match ``^[a-zA-Z_][a-zA-Z0-9_]*$`` and be 1 to 500
characters long, the value at most 10,000 characters. A sync that includes
variables fails to create such a Variable, and every ``[[NAME]]`` meant to use
it stays literal text. Dashes, dots and spaces are the usual culprits.

Failing::

    [[variable]]
    name = "db-password"

Passing::

    [[variable]]
    name = "DB_PASSWORD"
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, Workspace

NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
MAX_NAME = 500
MAX_VALUE = 10_000


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """A finding per Variable with a name or value Core rejects."""
    for variable in workspace.of_kind("variable"):
        name = variable.body.get("name")
        if isinstance(name, str) and not _valid_name(name):
            yield _bad_name(rule, variable, name)
        value = variable.body.get("value")
        if isinstance(value, str) and len(value) > MAX_VALUE:
            yield _long_value(rule, variable)


def _valid_name(name: str) -> bool:
    return len(name) <= MAX_NAME and NAME.fullmatch(name) is not None


def _bad_name(rule: RuleInfo, variable: Resource, name: str) -> Finding:
    if len(name) > MAX_NAME:
        what = f"is longer than {MAX_NAME} characters"
        shown = "Variable"
    else:
        what = "is not a valid Variable name"
        shown = f"Variable {name!r}"
    suggestion = re.sub(r"[^a-zA-Z0-9_]", "_", name[:MAX_NAME]) or "NAME"
    if suggestion[0].isdigit():
        suggestion = f"_{suggestion}"
    return rule.finding(
        f"the name of {shown} {what}: Core accepts letters, digits and `_`, "
        "not starting with a digit, so the sync fails to create it",
        location=at_key(variable, "name", value=True),
        resource=ref(variable) if len(name) <= MAX_NAME else None,
        hint=f"rename it, e.g. to `{suggestion[:60]}`, and update every "
        "[[NAME]] that uses it",
    )


def _long_value(rule: RuleInfo, variable: Resource) -> Finding:
    return rule.finding(
        f"the value of {variable.label} is longer than {MAX_VALUE:,} characters, "
        "so Core refuses to create it",
        location=at_key(variable, "value"),
        resource=ref(variable),
        hint="keep large contents in a file of the repository (a config file "
        "the Stack mounts) instead of a Variable",
    )


RULE = RuleInfo(
    code="KG214",
    name="invalid-variable",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
