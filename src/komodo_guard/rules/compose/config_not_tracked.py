"""A file of the tree bind-mounted into a service that the Stack does not
track in ``config_files``.

``DeployStackIfChanged`` (and so the webhook and "deploy on push") compares
only the files Komodo knows: the compose files, tracked env files and
``config_files``. A Caddyfile or Grafana provisioning folder bind-mounted with
``./caddy/Caddyfile:/etc/caddy/Caddyfile`` changes in git, the host pulls it,
and nothing restarts: the container keeps running the old configuration until
someone redeploys by hand. An entry listed without ``requires`` (or as a plain
string) means ``requires = "None"``: it is shown in the UI but a change still
triggers nothing.

For a mounted folder every file under it counts (a mount of the whole tree is
left alone). Each finding names the Stack and the exact file; the hint has
the TOML to add (``"Restart"`` is enough when the service reads the file at
start). Compose files deployed by no Stack of this tree are not judged, nor
entries whose ``requires`` is not a value Komodo knows (the resource rules
report those).

Equivalents: none in KICS, compose-lint or kube-linter (this is Komodo's
change detection, FACTS §6.4).

Failing::

    # compose.yaml
    services:
      caddy:
        image: caddy:2.9
        volumes:
          - ./Caddyfile:/etc/caddy/Caddyfile:ro

    # stack.toml: config_files not set

Passing::

    [stack.config]
    config_files = [{ path = "Caddyfile", requires = "Restart" }]
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from typing import Any

from komodo_guard.rules.compose.common import (
    StackIndex,
    at,
    files_under,
    mounts,
    relative_source,
)
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    ResourceRef,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.compose import ComposeFile, Deployment
from komodo_guard.workspace.compose_stacks import tree_join
from komodo_guard.workspace.model import Resource, Workspace
from komodo_guard.workspace.yaml_positions import KeyPath

PLACEHOLDERS = frozenset({".gitkeep", ".keep", ".gitignore"})


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per mounted file and Stack that does not track it."""
    stacks = StackIndex(workspace)
    files = sorted(workspace.files)
    for compose in workspace.compose_files:
        deploying = list(stacks.deploying(compose))
        if not deploying:
            continue
        mounted = list(_mounted_files(workspace, files, compose))
        for deployment, stack in deploying:
            tracked = _config_files(stack, deployment.run_directory)
            for name, path, file in mounted:
                state = _requires(tracked, file)
                if state in ("missing", "none"):
                    yield _finding(rule, compose, deployment, name, path, file, state)


def _mounted_files(
    workspace: Workspace, files: list[str], compose: ComposeFile
) -> Iterator[tuple[str, KeyPath, str]]:
    """(service, key path of the mount, tree file) of every file of the tree
    that a service of ``compose`` bind-mounts, in the order they are written."""
    for name, service in compose.services():
        for mount in mounts(("services", name), service):
            source = relative_source(compose, mount.source) if mount.bind else None
            if source is None:
                continue
            for file in _files(workspace, files, source):
                yield name, mount.path, file


def _finding(
    rule: RuleInfo,
    compose: ComposeFile,
    deployment: Deployment,
    service: str,
    path: KeyPath,
    file: str,
    state: str,
) -> Finding:
    relative = posixpath.relpath(file, deployment.run_directory or ".")
    why = (
        "does not list it in `config_files`"
        if state == "missing"
        else "lists it in `config_files` without `requires` (that means None)"
    )
    return rule.finding(
        f"stack {deployment.stack!r} {why}, but service `{service}` bind-mounts "
        f"`{file}`: a change to it in git never restarts the service",
        location=at(compose, path, value=True),
        resource=ResourceRef("stack", deployment.stack),
        hint=(
            f'add to [stack.config]: config_files = [{{ path = "{relative}", '
            'requires = "Redeploy" }] ("Restart" is enough when the service '
            "reads it at start)"
        ),
    )


def _files(workspace: Workspace, files: list[str], source: str) -> list[str]:
    if workspace.is_file(source):
        return [source]
    if not source or source not in workspace.directories:
        return []
    return [
        file
        for file in files_under(files, source)
        if posixpath.basename(file) not in PLACEHOLDERS
    ]


def _config_files(stack: Resource, run_directory: str) -> dict[str, str]:
    """Tree path -> lower-case ``requires`` of each entry (``none`` when not
    given)."""
    entries = stack.config.get("config_files")
    found: dict[str, str] = {}
    if not isinstance(entries, list):
        return found
    for entry in entries:
        written, requires = _entry(entry)
        joined = tree_join(run_directory, written) if written else None
        if joined is not None:
            found[joined] = requires
    return found


def _entry(entry: Any) -> tuple[str, str]:
    if isinstance(entry, str):
        return entry, "none"
    if isinstance(entry, Mapping):
        path, requires = entry.get("path"), entry.get("requires")
        return (
            path if isinstance(path, str) else "",
            requires.lower() if isinstance(requires, str) else "none",
        )
    return "", "none"


def _requires(tracked: Mapping[str, str], file: str) -> str:
    """The ``requires`` that covers ``file``: its own entry, else a listed
    folder above it; ``missing`` when nothing lists it."""
    if file in tracked:
        return tracked[file]
    for folder, requires in tracked.items():
        if file.startswith(f"{folder}/"):
            return requires
    return "missing"


RULE = RuleInfo(
    code="KG810",
    name="config-file-not-tracked",
    severity=Severity.WARNING,
    failure_class=FailureClass.STALE_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
