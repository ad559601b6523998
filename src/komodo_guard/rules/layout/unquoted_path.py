"""A path Komodo puts into the compose command unquoted, which breaks it.

Periphery builds ``docker compose -p <project> -f <file> ... --env-file <file> up``
by joining the ``file_paths``, ``additional_env_files`` and ``env_file_path``
values into one shell command without quoting them (FACTS §6.2). A space splits
such a path into two arguments, and characters the shell treats specially
(semicolons, ampersands, pipes, dollar signs, quotes, brackets, wildcards, ``#``)
change what runs. The deploy fails with a compose error that does not mention
the real cause.

Failing::

    [stack.config]
    file_paths = ["my app/compose.yaml"]

Passing::

    [stack.config]
    file_paths = ["my-app/compose.yaml"]
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
from komodo_guard.rules.layout.paths import PathEntry, compose_files, env_files
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, Workspace

_UNSAFE = re.compile(r"[\s;&|$`<>()*?\[\]'\"#\\]")


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per stack path that the shell would split or interpret."""
    for stack in workspace.of_kind("stack"):
        for entry in _command_paths(stack):
            if _UNSAFE.search(entry.path.strip()):
                yield rule.finding(
                    f"{stack.label}: {entry.field} entry `{entry.path.strip()}` holds "
                    "a space or a shell character, and Komodo puts it into the "
                    "compose command without quotes, so the deploy breaks",
                    location=at_key(stack, *entry.keys, value=True),
                    resource=ref(stack),
                    hint="rename the file or folder to letters, digits, '.', '-', "
                    "'_' and '/' only",
                )


def _command_paths(stack: Resource) -> Iterator[PathEntry]:
    yield from compose_files(stack)
    yield from (entry for entry in env_files(stack) if entry.track)
    written = stack.config.get("env_file_path")
    if isinstance(written, str) and written.strip():
        yield PathEntry("env_file_path", written, ("config", "env_file_path"))


RULE = RuleInfo(
    code="KG405",
    name="unquoted-path",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
