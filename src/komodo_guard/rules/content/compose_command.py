"""``[[COMPOSE_COMMAND]]`` outside ``compose_cmd_wrapper``, or a wrapper without it.

``[[COMPOSE_COMMAND]]`` is not a Variable: Periphery puts the ``docker compose
...`` command in its place, and only inside a stack's ``compose_cmd_wrapper``
(``bin/periphery/src/api/compose.rs::maybe_wrap_command``). Written in any
other interpolated field it stays literal text (warning). A wrapper that lacks
the placeholder is refused: Periphery logs "compose_cmd_wrapper is configured
but does not contain [[COMPOSE_COMMAND]]" and the wrapped compose commands
(``up`` by default) do not run (error). Comment lines of the wrapper do not
count, as Komodo strips them first.

Failing::

    compose_cmd_wrapper = "sops exec-env secrets.env 'docker compose up -d'"

Passing::

    compose_cmd_wrapper = "sops exec-env secrets.env '[[COMPOSE_COMMAND]]'"
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.parsers import command_lines
from komodo_guard.rules.content.fields import (
    FieldText,
    interpolated_texts,
    variable_uses,
)
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, Workspace

_WRAPPER = "compose_cmd_wrapper"
_PLACEHOLDER = "[[COMPOSE_COMMAND]]"


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Misplaced placeholders, then wrappers that lack it."""
    stack = workspace.kind("stack")
    wrapper_known = stack is not None and stack.field(_WRAPPER) is not None
    for resource in workspace.resources:
        for text in interpolated_texts(resource, (_PLACEHOLDER,)):
            if text.field != _WRAPPER:
                yield from _misplaced(rule, text)
        if resource.kind == "stack" and wrapper_known:
            yield from _wrapper(rule, resource)


def _misplaced(rule: RuleInfo, text: FieldText) -> Iterator[Finding]:
    for use in variable_uses(text.text):
        if use.placeholder:
            yield rule.finding(
                f"{_PLACEHOLDER} in `{text.field}` of {text.resource.label}: Komodo "
                f"only fills it in `{_WRAPPER}`, here it stays literal text",
                location=text.location(use.offset),
                resource=ref(text.resource),
                hint=f"move the command into `{_WRAPPER}` (with "
                "`compose_cmd_wrapper_include` for the subcommands to wrap), or "
                "write the compose command out",
            )


def _wrapper(rule: RuleInfo, stack: Resource) -> Iterator[Finding]:
    wrapper = stack.config.get(_WRAPPER)
    if not isinstance(wrapper, str):
        return
    commands = command_lines(wrapper)
    if commands and not any(_PLACEHOLDER in line for line in commands):
        yield rule.finding(
            f"`{_WRAPPER}` of {stack.label} does not contain {_PLACEHOLDER}: "
            "Periphery refuses the wrapper and the wrapped compose commands do "
            "not run",
            location=at_key(stack, "config", _WRAPPER, value=True),
            resource=ref(stack),
            hint=f"put {_PLACEHOLDER} where the `docker compose ...` command "
            "belongs, e.g. `sops exec-env .env '[[COMPOSE_COMMAND]]'`",
            severity=Severity.ERROR,
        )


RULE = RuleInfo(
    code="KG303",
    name="compose-command-misplaced",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
