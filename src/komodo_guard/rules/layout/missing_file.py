"""A file a Stack or Build needs is not in the repository.

Before a deploy, Periphery checks that the run directory, every compose file,
every tracked additional env file and every config file exist; one missing
file fails the deploy ("missing files"), and Core shows the same files as
``remote_errors``. A Build fails the same way when its context or Dockerfile
is missing. Typical causes: a folder renamed or deleted in git while the
resource still names it, a typo in ``run_directory`` or ``file_paths``, and
relying on ``docker-compose.yml`` when no ``file_paths`` is set: Komodo then
uses ``compose.yaml`` only, with no fallback to other names.

Only resources whose files are known to be in this tree are checked: an inline
``repo`` that is this tree, or a ``linked_repo`` naming a ``[[repo]]`` declared
here whose ``repo`` is this tree. Files on the host, files typed in the UI,
other repositories and unknown sources are not checked, nor are absolute
(host) paths and ``additional_env_files`` with ``track = false`` (they are
often written by ``pre_deploy``). ``file_paths``, ``additional_env_files`` and
``config_files`` are relative to the run directory and may climb out of it
with ``..`` as long as they stay in the repository. A path through a symbolic
link that leaves the tree is reported as not checked.

Failing (no ``apps/web/compose.yaml`` in the repository)::

    [[stack]]
    name = "web"
    [stack.config]
    repo = "me/homelab"
    run_directory = "apps/web"

Passing: add ``apps/web/compose.yaml``, or name the file that is there with
``file_paths = ["docker-compose.yml"]``.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.layout.paths import (
    DEFAULT_COMPOSE_FILE,
    PathEntry,
    compose_files,
    config_files,
    env_files,
)
from komodo_guard.rules.layout.resolve import (
    Joined,
    Where,
    join,
    outside_link,
    source_of,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, Workspace

log = logging.getLogger(__name__)

COMPOSE_NAMES = ("compose.yml", "docker-compose.yml", "docker-compose.yaml")


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Findings for every Stack and Build whose files are in this tree."""
    for stack in workspace.of_kind("stack"):
        yield from _stack(rule, workspace, stack)
    for build in workspace.of_kind("build"):
        yield from _build(rule, workspace, build)


def _root(
    rule: RuleInfo, workspace: Workspace, resource: Resource
) -> tuple[Joined | None, list[Finding]]:
    """The checkable root folder, or None with the findings that explain why."""
    source = source_of(workspace, resource)
    if source.where is not Where.TREE or source.root is None:
        log.debug("%s: files not checked: %s", resource.label, source.why)
        return None, []
    root = source.root
    key = "run_directory" if resource.kind == "stack" else "build_path"
    if root.host:
        return None, []
    if root.leaves:
        message = f"{key} `{root.written}` climbs above the repository root"
        return None, [_error(rule, resource, ("config", key), message)]
    link = outside_link(workspace, root.path)
    if link is not None:
        return None, [_not_checked(rule, resource, ("config", key), link)]
    return root, []


def _stack(rule: RuleInfo, workspace: Workspace, stack: Resource) -> Iterator[Finding]:
    root, problems = _root(rule, workspace, stack)
    yield from problems
    if root is None:
        return
    composes = compose_files(stack)
    if root.path and root.path not in workspace.directories:
        yield _missing_run_directory(rule, stack, root, composes)
        return
    if composes:
        for entry in composes:
            yield from _entry(rule, workspace, stack, root, entry)
    else:
        yield from _default_compose(rule, workspace, stack, root)
    own_env = _own_env_file(stack)
    for entry in env_files(stack):
        if entry.track and entry.path.strip().removeprefix("./") != own_env:
            yield from _entry(rule, workspace, stack, root, entry)
    for entry in config_files(stack):
        yield from _entry(rule, workspace, stack, root, entry)


def _own_env_file(stack: Resource) -> str:
    """Komodo writes the stack ``environment`` to ``env_file_path`` itself."""
    value = stack.config.get("env_file_path")
    text = value if isinstance(value, str) and value.strip() else ".env"
    return text.strip().removeprefix("./")


def _missing_run_directory(
    rule: RuleInfo, stack: Resource, root: Joined, composes: list[PathEntry]
) -> Finding:
    first = composes[0].path if composes else DEFAULT_COMPOSE_FILE
    needed = join(root.path, first).shown
    line, _ = stack.position("config", "run_directory")
    message = (
        f"{stack.label}: run_directory `{root.written}` (line {line}) is not a "
        f"folder of this repository, so `{needed}` cannot be found and every "
        "deploy fails with missing files"
    )
    return rule.finding(
        message,
        location=at_key(stack, "name"),
        resource=ref(stack),
        hint="restore the folder in git, or point run_directory at where the "
        "compose files are now",
    )


def _entry(
    rule: RuleInfo,
    workspace: Workspace,
    resource: Resource,
    root: Joined,
    entry: PathEntry,
) -> Iterator[Finding]:
    target = join(root.path, entry.path)
    if target.host:
        return
    if target.leaves:
        message = (
            f"{entry.field} entry `{entry.path}` climbs above the repository "
            f"root from `{root.shown}`"
        )
        yield _error(rule, resource, entry.keys, message)
        return
    link = outside_link(workspace, target.path)
    if link is not None:
        yield _not_checked(rule, resource, entry.keys, link)
    elif not workspace.is_file(target.path):
        yield _missing(rule, workspace, resource, entry, target)


def _missing(
    rule: RuleInfo,
    workspace: Workspace,
    resource: Resource,
    entry: PathEntry,
    target: Joined,
) -> Finding:
    run = "build" if resource.kind == "build" else "deploy"
    written = entry.path.strip()
    resolved = "" if target.path == written else f" (`{target.shown}`)"
    message = (
        f"{resource.label}: {entry.field} `{written}`{resolved} is not a file "
        f"in this repository; the {run} fails"
    )
    base = "build_path" if resource.kind == "build" else "the run directory"
    near = _nearby(workspace, target.path)
    hint = f"did you mean `{near}`?" if near else "add the file or fix the path"
    return rule.finding(
        message,
        location=_at(resource, entry.keys),
        resource=ref(resource),
        hint=f"{hint} (the path is relative to {base})",
    )


def _nearby(workspace: Workspace, path: str) -> str | None:
    """An existing file with the other YAML extension or compose name."""
    folder, name = posixpath.split(path)
    stem, extension = posixpath.splitext(name)
    candidates = (
        [f"{stem}.yml", f"{stem}.yaml"] if extension in (".yml", ".yaml") else []
    )
    if name in (DEFAULT_COMPOSE_FILE, *COMPOSE_NAMES):
        candidates += [DEFAULT_COMPOSE_FILE, *COMPOSE_NAMES]
    for candidate in candidates:
        if candidate != name and workspace.is_file(posixpath.join(folder, candidate)):
            return candidate
    return None


def _default_compose(
    rule: RuleInfo, workspace: Workspace, stack: Resource, root: Joined
) -> Iterator[Finding]:
    target = join(root.path, DEFAULT_COMPOSE_FILE)
    link = outside_link(workspace, target.path)
    if link is not None:
        yield _not_checked(rule, stack, (), link)
        return
    if workspace.is_file(target.path):
        return
    folder = f"run directory `{root.shown}`" if root.path else "repository root"
    message = (
        f"{stack.label}: no file_paths, so Komodo deploys compose.yaml from the "
        f"{folder}, and `{target.shown}` is not in this repository; Komodo does "
        "not fall back to other file names"
    )
    guessed = _compose_file_key(workspace, stack, root)
    if guessed is not None:
        line, _ = stack.position("config", "compose_file")
        message += (
            f" (the unknown key `compose_file` on line {line} points at "
            f"`{guessed}`, but Komodo ignores that key)"
        )
    yield rule.finding(
        message,
        location=at_key(stack, "name"),
        resource=ref(stack),
        hint=_default_hint(workspace, root, guessed),
    )


def _compose_file_key(
    workspace: Workspace, stack: Resource, root: Joined
) -> str | None:
    """The existing file an (ignored) ``compose_file`` key names, if any."""
    written = stack.config.get("compose_file")
    if not isinstance(written, str) or not written.strip():
        return None
    target = join(root.path, written)
    return target.path if target.inside and workspace.is_file(target.path) else None


def _default_hint(workspace: Workspace, root: Joined, guessed: str | None) -> str:
    if guessed is not None:
        folder, name = posixpath.split(guessed)
        where = f'run_directory = "{folder}" and ' if folder else ""
        return f'set {where}file_paths = ["{name}"] in [stack.config]'
    for name in COMPOSE_NAMES:
        if workspace.is_file(join(root.path, name).path):
            return f'did you mean: set file_paths = ["{name}"] in [stack.config]'
    return "add compose.yaml to the run directory, or set file_paths in [stack.config]"


def _build(rule: RuleInfo, workspace: Workspace, build: Resource) -> Iterator[Finding]:
    root, problems = _root(rule, workspace, build)
    yield from problems
    if root is None:
        return
    if root.path and root.path not in workspace.directories:
        message = (
            f"build_path `{root.written}` is not a folder of this repository, "
            "so the build has no context"
        )
        yield _error(rule, build, ("config", "build_path"), message)
        return
    written = build.config.get("dockerfile_path")
    dockerfile = (
        written if isinstance(written, str) and written.strip() else "Dockerfile"
    )
    entry = PathEntry("dockerfile_path", dockerfile, ("config", "dockerfile_path"))
    yield from _entry(rule, workspace, build, root, entry)


def _error(
    rule: RuleInfo, resource: Resource, keys: tuple[str | int, ...], message: str
) -> Finding:
    return rule.finding(
        f"{resource.label}: {message}",
        location=_at(resource, keys),
        resource=ref(resource),
        hint="fix the path: it is relative to the repository (and must stay inside it)",
    )


def _not_checked(
    rule: RuleInfo, resource: Resource, keys: tuple[str | int, ...], link: str
) -> Finding:
    return rule.finding(
        f"{resource.label}: `{link}` is a symbolic link leaving this tree; "
        "the files behind it were not checked",
        location=_at(resource, keys),
        resource=ref(resource),
        severity=Severity.INFO,
    )


def _at(resource: Resource, keys: tuple[str | int, ...]) -> Location:
    """The value at ``keys`` when it is written, else the resource's name: a
    default (``compose.yaml``, ``Dockerfile``) has no key of its own."""
    if keys and (*resource.path, *keys) in resource.file.spans:
        return at_key(resource, *keys, value=True)
    return at_key(resource, "name")


RULE = RuleInfo(
    code="KG401",
    name="missing-file",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
