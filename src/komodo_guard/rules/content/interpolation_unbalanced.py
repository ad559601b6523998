"""A ``[[`` without its ``]]`` (or the reverse) in an interpolated field.

Komodo interpolates ``[[NAME]]`` in a fixed set of fields (stack
``environment``, ``file_contents``, ``pre_deploy.command``, deployment
``environment``, ``ports``, ``volumes``, build ``build_args``, alerter endpoint
URLs, ...; FACTS §2.7). A ``[[`` with no ``]]`` before the next ``[[`` (or a
``[[[[``) makes the interpolation fail, and with it the deploy, build or clone;
comment lines are interpolated too, so they count. The finding points at the
exact line inside a multi-line string.

A ``]]`` after a name with no ``[[`` before it (``[NAME]]``, ``KEY=NAME]]``) is
not an error for Komodo, but the text reaches the container literally; that is
reported as a warning (not in ``file_contents`` or ``dockerfile``, where YAML
and JSON nest brackets).

Nothing is reported for resources with ``skip_secret_interp = true``: Komodo
does not interpolate them at all.

Failing::

    environment = \"\"\"
    DB_HOST=[[DB_HOST]
    \"\"\"

Passing::

    environment = \"\"\"
    DB_HOST=[[DB_HOST]]
    \"\"\"
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.interpolation import VariableUse
from komodo_guard.rules.content.fields import (
    FieldText,
    interpolated_texts,
    interpolation_skipped,
    variable_uses,
)
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import ref
from komodo_guard.workspace.model import Workspace

_NAME_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
)
_NAME_STARTS = frozenset("[=: \t\n\"'")
# Compose YAML and Dockerfiles nest brackets (``[a, [b]]``) for other reasons.
_STRUCTURED = frozenset({"file_contents", "dockerfile"})


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per failing ``[[`` and per stray ``]]`` after a name."""
    for resource in workspace.resources:
        if interpolation_skipped(resource):
            continue
        for text in interpolated_texts(resource, ("[[", "]]")):
            uses = variable_uses(text.text)
            yield from _unbalanced(rule, text, uses)
            if text.field not in _STRUCTURED and "]]" in text.text:
                closers = {use.end - 2 for use in uses if use.error is None}
                yield from _stray_closers(rule, text, closers)


def _unbalanced(
    rule: RuleInfo, text: FieldText, uses: tuple[VariableUse, ...]
) -> Iterator[Finding]:
    for use in uses:
        if use.error is None:
            continue
        yield rule.finding(
            f"`[[` without a matching `]]` in `{text.field}` of "
            f"{text.resource.label}: Komodo's interpolation fails, so the "
            f"{_action(text.resource.kind)} fails",
            location=text.location(use.offset),
            resource=ref(text.resource),
            hint="close the variable as `[[NAME]]`, or write `[[[text]]]` for a "
            "literal `[[text]]`",
        )


def _stray_closers(
    rule: RuleInfo, text: FieldText, closers: set[int]
) -> Iterator[Finding]:
    value = text.text
    start = value.find("]]")
    while start >= 0:
        tripled = value.startswith("]", start + 2)  # ``]]]`` closes an escape
        name = "" if start in closers or tripled else _name_before(value, start)
        if name:
            yield rule.finding(
                f"`{name}]]` in `{text.field}` of {text.resource.label} has no "
                "opening `[[`: Komodo leaves it as literal text",
                location=text.location(start - len(name)),
                resource=ref(text.resource),
                hint=f"write `[[{name}]]` to use the Variable {name}",
                severity=Severity.WARNING,
            )
        start = value.find("]]", start + (3 if tripled else 2))


def _name_before(value: str, end: int) -> str:
    """The variable-like name right before ``end`` when it starts the text, a
    word or a value (``[NAME]]``, ``KEY=NAME]]``) and no ``[[`` opens it."""
    begin = end
    while begin > 0 and value[begin - 1] in _NAME_CHARS:
        begin -= 1
    name = value[begin:end]
    if not name or name[0].isdigit() or value[max(begin - 2, 0) : begin] == "[[":
        return ""
    before = value[begin - 1] if begin > 0 else "\n"
    return name if before in _NAME_STARTS else ""


def _action(kind: str) -> str:
    return {
        "stack": "deploy",
        "deployment": "deploy",
        "build": "build",
        "repo": "clone or pull",
        "alerter": "alert",
    }.get(kind, "run")


RULE = RuleInfo(
    code="KG301",
    name="interpolation-unbalanced",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
