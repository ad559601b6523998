"""A ``[[NAME]]`` that no declared Variable provides.

Komodo replaces ``[[NAME]]`` in interpolated fields with the Variable (or Core
or Periphery secret) of that name; an unknown name is left as written
(FACTS §2.7), so the container gets the literal text ``[[NAME]]``. This rule
reports names used in interpolated fields that are neither declared as a
``[[variable]]`` anywhere in the tree nor listed under ``[known] variables``.

Variables often live in the UI or in Core's ``[secrets]``, so this is a warning,
once per name and sync scope, at the first use, with the number of uses. List
names defined elsewhere under ``[known] variables`` in ``komodo-guard.toml``.
``[[COMPOSE_COMMAND]]`` is Komodo's own placeholder and never reported; names
Komodo could never declare (``[[ -f x ]]`` in a shell test) are ignored, as
are uses in env-block comments, which Komodo drops after interpolating.

Failing::

    environment = "TZ=[[TZ]]"     # no [[variable]] named TZ

Passing::

    [[variable]]
    name = "TZ"
    value = "Europe/Berlin"

Options: ``[known] variables`` in ``komodo-guard.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from komodo_guard.rules.content.fields import (
    FieldText,
    interpolated_texts,
    interpolation_skipped,
    variable_uses,
)
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import ref
from komodo_guard.workspace.model import Resource, Workspace

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,499}")


@dataclass
class _Uses:
    """The first use of one name in one scope, and how many there are."""

    first: Location
    resource: Resource
    count: int = 1


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per undeclared name and scope, at its first use."""
    known = workspace.declared_names("variable") | options.known_variables
    reported: set[tuple[Location, str]] = set()
    for scope, files in _scopes(workspace):
        uses = _undeclared(
            (r for r in workspace.resources if r.file.path in files), known
        )
        for name, found in uses.items():
            if (found.first, name) in reported:
                continue
            reported.add((found.first, name))
            yield _finding(rule, scope, name, found)


def _scopes(workspace: Workspace) -> Iterator[tuple[str, frozenset[str]]]:
    for scope in workspace.scopes:
        yield scope.name, frozenset(scope.files)
    if workspace.unsynced:
        yield "(files no sync reads)", frozenset(workspace.unsynced)


def _undeclared(
    resources: Iterable[Resource], known: frozenset[str]
) -> dict[str, _Uses]:
    found: dict[str, _Uses] = {}
    for resource in resources:
        if interpolation_skipped(resource):
            continue
        for text in interpolated_texts(resource, ("[[",)):
            for name, offset in _names(text):
                if name in known:
                    continue
                if name in found:
                    found[name].count += 1
                else:
                    found[name] = _Uses(text.location(offset), resource)
    return found


def _names(text: FieldText) -> Iterator[tuple[str, int]]:
    """(name, offset) of every declarable variable name used in ``text``."""
    env_block = text.env_block
    for use in variable_uses(text.text):
        if use.error is not None or use.placeholder or not _declarable(use.name):
            continue
        if not (env_block and _in_comment(text.text, use.offset)):
            yield use.name, use.offset


def _declarable(name: str) -> bool:
    """Komodo's Variable name rule: ``^[a-zA-Z_][a-zA-Z0-9_]*$``, 1..500 chars."""
    return _NAME.fullmatch(name) is not None


def _in_comment(block: str, offset: int) -> bool:
    """True when ``offset`` is inside an env-block comment: a ``#`` or ``//``
    line, or the tail after `` #``."""
    start = block.rfind("\n", 0, offset) + 1
    end = block.find("\n", offset)
    line = block[start : end if end >= 0 else len(block)]
    stripped = line.lstrip()
    if stripped.startswith(("#", "//")):
        return True
    cut = line.find(" #", len(line) - len(stripped))
    return 0 <= cut < offset - start


def _finding(rule: RuleInfo, scope: str, name: str, found: _Uses) -> Finding:
    uses = "1 use" if found.count == 1 else f"{found.count} uses"
    return rule.finding(
        f"[[{name}]] is not a declared Variable ({uses} in scope {scope!r}); "
        "unless the UI or a Core or Periphery secret defines it, the text stays "
        "literal",
        location=found.first,
        resource=ref(found.resource),
        hint=f"declare [[variable]] name = {name!r} (and set include_variables = "
        "true on the sync), or list it under [known] variables in komodo-guard.toml "
        "if it is defined elsewhere",
    )


RULE = RuleInfo(
    code="KG302",
    name="undeclared-variable",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
