"""A service ``env_file:`` that is not in the tree and that Komodo does not write.

Compose refuses to start a service whose ``env_file`` does not exist
(``env file … not found``) unless the entry says ``required: false``. Komodo
writes one env file itself before every deploy: the Stack's ``environment``
goes to ``env_file_path`` (``.env`` by default) in the run directory, so
``env_file: .env`` is fine on a Stack with an environment. Any other missing
file fails the deploy on the host, often long after the commit that renamed
it.

Paths are resolved from the compose file's folder. Not judged: absolute
paths (on the host), paths with a variable, and for compose files no Stack of
this tree deploys, a ``.env`` beside the file (it may be Komodo's).

Equivalents: ``docker compose config`` fails the same way; none in KICS,
compose-lint or kube-linter.

Failing::

    services:
      app:
        image: ghcr.io/example/app:2
        env_file: app.env        # no app.env in the repository

Passing::

    services:
      app:
        image: ghcr.io/example/app:2
        env_file:
          - path: app.env
            required: false
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from typing import Any

from komodo_guard.rules.compose.common import at
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.compose import ComposeFile
from komodo_guard.workspace.compose_stacks import tree_join
from komodo_guard.workspace.model import Workspace
from komodo_guard.workspace.yaml_positions import KeyPath

DEFAULT_ENV_FILE = ".env"


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per required env file that will not exist on the host."""
    for compose in workspace.compose_files:
        for name, service in compose.services():
            for path, written in _required_entries(name, service):
                target = tree_join(compose.folder, written)
                if target is None or "$" in written or workspace.is_file(target):
                    continue
                problem = _problem(compose, target)
                if problem is None:
                    continue
                message, hint = problem
                yield rule.finding(
                    f"service `{name}` reads env file `{written}` ({target}), "
                    f"which {message}; compose will refuse to start it",
                    location=at(compose, path, value=True),
                    hint=hint,
                )


def _required_entries(
    name: str, service: Mapping[str, Any]
) -> Iterator[tuple[KeyPath, str]]:
    """``(path, written)`` of each ``env_file`` entry that is required."""
    value = service.get("env_file")
    base: KeyPath = ("services", name, "env_file")
    if isinstance(value, str):
        yield base, value
        return
    if not isinstance(value, list):
        return
    for index, entry in enumerate(value):
        if isinstance(entry, str):
            yield (*base, index), entry
        elif isinstance(entry, Mapping) and _required(entry):
            yield (*base, index, "path"), entry["path"]


def _required(entry: Mapping[str, Any]) -> bool:
    written = isinstance(entry.get("path"), str)
    return written and entry.get("required", True) not in (False, "false")


def _problem(compose: ComposeFile, target: str) -> tuple[str, str] | None:
    """Why ``target`` will be missing, and the fix; None when Komodo writes it."""
    if not compose.deployments:
        if posixpath.basename(target) == DEFAULT_ENV_FILE:
            return None
        return "is not in the repository", _HINT
    komodo = [d for d in compose.deployments if d.env_file == target]
    if any(d.writes_env_file for d in komodo):
        return None
    if komodo:
        stacks = ", ".join(repr(d.stack) for d in komodo)
        return (
            f"is not in the repository and stack {stacks} writes it only when "
            "its `environment` is set (it is empty)",
            "set the stack's `environment`, or commit the file, or mark the "
            "entry `required: false`",
        )
    return "is not in the repository", _HINT


_HINT = (
    "commit the file, fix the path, or write the entry as "
    "`- path: <file>` with `required: false` if it is created on the host"
)


RULE = RuleInfo(
    code="KG811",
    name="env-file-missing",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
