"""A lifecycle command that runs nothing, or runs in the wrong folder.

``pre_deploy`` and ``post_deploy`` (Stack), ``pre_build`` (Build) and
``on_clone`` / ``on_pull`` (Repo) are tables of ``path``, ``command`` and
``shell_mode``. Komodo runs ``command`` inside the folder ``path`` (relative
to the run directory, build context or repository root), and skips the whole
step when ``command`` is empty. Two mistakes are common:

* no ``command`` at all (often the script sits in an unknown ``args`` key, or
  the keys after a sub-table header went into the wrong table): nothing runs
  and nothing says so;
* a program in ``path`` (``path = "sh"``, ``"/bin/bash"``, ``"python"``):
  ``path`` is the working directory, so Komodo runs ``cd sh && ...``.

Failing::

    [stack.config.pre_deploy]
    path = "sh"
    args = ["-c", "sops -d secrets.enc.env > .env"]

Passing::

    [stack.config.pre_deploy]
    command = "sops -d secrets.enc.env > .env"
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from typing import Any

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.headers import KeyPath
from komodo_guard.workspace.model import Resource, Workspace

COMMANDS: Mapping[str, tuple[str, ...]] = {
    "stack": ("pre_deploy", "post_deploy"),
    "build": ("pre_build",),
    "repo": ("on_clone", "on_pull"),
}
PROGRAMS = frozenset(
    {
        "sh", "bash", "zsh", "ash", "dash", "fish", "ksh", "env", "sudo",
        "python", "python3", "node", "deno", "bun", "perl", "ruby", "php",
        "pwsh", "powershell", "cmd", "docker", "make", "sops",
    }
)  # fmt: skip
BIN_FOLDERS = ("/bin/", "/usr/bin/", "/usr/local/bin/", "/sbin/", "/usr/sbin/")


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Findings for each command table with no command or a program as path."""
    for resource in workspace.resources:
        for field in COMMANDS.get(resource.kind, ()):
            for keys, table in _tables(resource, field):
                finding = _check_table(rule, resource, keys, table)
                if finding is not None:
                    yield finding


def _tables(
    resource: Resource, field: str
) -> Iterator[tuple[KeyPath, Mapping[str, Any]]]:
    """The table under ``field``; each element when it was written as an array
    of tables (another rule reports that shape)."""
    value = resource.config.get(field)
    if isinstance(value, Mapping):
        yield ("config", field), value
    elif isinstance(value, list):
        for index, element in enumerate(value):
            if isinstance(element, Mapping):
                yield ("config", field, index), element


def looks_like_program(path: str) -> bool:
    """``sh``, ``/bin/bash``, ``python3``: a program, not a folder."""
    text = path.strip()
    name = posixpath.basename(text)
    if name not in PROGRAMS:
        return False
    return "/" not in text or text.startswith(BIN_FOLDERS)


def _check_table(
    rule: RuleInfo, resource: Resource, keys: KeyPath, table: Mapping[str, Any]
) -> Finding | None:
    field = str(keys[1])
    command = table.get("command")
    empty = not (isinstance(command, str) and command.strip())
    path = table.get("path")
    if isinstance(path, str) and looks_like_program(path):
        return _program(rule, resource, keys, table, empty)
    if empty:
        return rule.finding(
            f"{resource.label}: {field} has no command, so nothing runs "
            f"(Komodo skips {field} when command is empty)",
            location=_table_location(resource, keys, table),
            resource=ref(resource),
            hint=_hint(field, table),
        )
    return None


def _program(
    rule: RuleInfo,
    resource: Resource,
    keys: KeyPath,
    table: Mapping[str, Any],
    empty: bool,
) -> Finding:
    field = str(keys[1])
    path = str(table["path"]).strip()
    message = (
        f'{resource.label}: {field}.path = "{path}" names a program, but path is '
        "the folder the command runs in"
    )
    message += (
        "; with no command, nothing runs" if empty else f"; Komodo runs `cd {path}`"
    )
    return rule.finding(
        message,
        location=at_key(resource, *keys, "path", value=True),
        resource=ref(resource),
        hint=_hint(field, table),
    )


def _hint(field: str, table: Mapping[str, Any]) -> str:
    hint = (
        f"write the whole command line in {field}.command (a multi-line string "
        "runs line by line) and drop path or set it to a folder"
    )
    if "args" in table:
        hint += f"; `args` is not a {field} key and is ignored"
    return hint


def _table_location(
    resource: Resource, keys: KeyPath, table: Mapping[str, Any]
) -> Location:
    """The table's header or key; for dotted keys (``pre_deploy.path = ...``)
    the first of them, which is where the table is written."""
    full = (*resource.path, *keys)
    if full not in resource.file.spans and resource.file.header(full) is None:
        for key in table:
            if (*full, key) in resource.file.spans:
                return at_key(resource, *keys, key)
    return at_key(resource, *keys)


RULE = RuleInfo(
    code="KG404",
    name="deploy-command",
    severity=Severity.WARNING,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
