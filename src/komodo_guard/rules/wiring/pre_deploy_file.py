"""A ``pre_deploy`` command that writes a file Komodo checks before it runs.

On every deploy Periphery first checks that each compose file
(``file_paths``), each tracked ``additional_env_files`` entry and each
``config_files`` entry exists, and only then runs ``pre_deploy`` (FACTS §6.2).
A file that ``pre_deploy`` creates (``sops -d secrets.enc.env > .env``,
``envsubst < tpl > compose.override.yaml``, ``cp``, ``tee``, ``touch``) is
therefore missing when it is checked: the deploy fails with "missing files"
and ``pre_deploy`` never gets to create it, so it fails again next time.

Paths are resolved the way Komodo resolves them: the command runs in
``pre_deploy.path`` below the run directory (following ``cd``), and the
listed files are relative to the run directory. When the stack's files are
in this tree and the file is committed there, the check passes and nothing is
reported; when the file is known to be absent the finding is an error, and a
warning when the repository cannot be seen from here. Only what Komodo would
run is read: a ``pre_deploy`` without ``command`` runs nothing (KG404), and
keys a ``[stack.config.pre_deploy]`` header swallowed (KG102) are not file
lists, so the corpus' repo29 (``args`` instead of ``command``, ``file_paths``
below the header) is left to those two rules. Komodo's own env file
(``env_file_path``) is written before the check and is never reported.

Failing::

    [stack.config]
    additional_env_files = ["secrets.env"]
    pre_deploy.command = "sops -d secrets.enc.env > secrets.env"

Passing (``track = false``: passed to compose, not checked first)::

    [stack.config]
    additional_env_files = [{ path = "secrets.env", track = false }]
    pre_deploy.command = "sops -d secrets.enc.env > secrets.env"
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
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
from komodo_guard.rules.layout.resolve import Joined, Source, Where, join, source_of
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.rules.wiring.shell import written_files
from komodo_guard.workspace.model import Resource, Workspace

_HINTS: Mapping[str, str] = {
    "additional_env_files": 'write the entry as {{ path = "{path}", track = false }} '
    "so Komodo passes it to compose without checking it first",
    "config_files": "drop `{path}` from config_files (it is generated, so there is "
    "nothing in git to diff), or generate it before the deploy",
    "file_paths": "commit `{path}`, or generate it before the deploy (the Repo's "
    "on_pull, or a procedure stage that runs before the deploy)",
}


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per checked file a stack's ``pre_deploy.command`` writes."""
    for stack in workspace.of_kind("stack"):
        command = _command(stack)
        if command is None:
            continue
        source = source_of(workspace, stack)
        run = _run_directory(stack)
        cwd = _key(run, _text(stack.config.get("pre_deploy"), "path"))
        if cwd is None:
            continue
        written = {_key(cwd, path) for path in written_files(command)}
        for entry in _checked(stack, source):
            target = _key(run, entry.path)
            if target is not None and target in written:
                yield from _report(rule, workspace, stack, source, entry, target)


def _command(stack: Resource) -> str | None:
    command = _text(stack.config.get("pre_deploy"), "command")
    return command if command.strip() else None


def _text(table: object, key: str) -> str:
    value = table.get(key) if isinstance(table, Mapping) else None
    return value if isinstance(value, str) else ""


def _run_directory(stack: Resource) -> str:
    """The run directory as a tree-relative folder; ``""`` when it is the
    root or a host path (everything compared is relative to it anyway)."""
    joined = join("", _text(stack.config, "run_directory"))
    return joined.path if joined.inside else ""


def _key(base: str | None, written: str) -> str | None:
    """A comparable form of ``written`` joined to ``base``: tree-relative, or
    the normalised absolute path; None when it climbs above the root."""
    if base is None:
        return None
    if base.startswith("/"):
        return posixpath.normpath(posixpath.join(base, written.strip() or "."))
    joined: Joined = join(base, written)
    if joined.host:
        return posixpath.normpath(written.strip())
    return None if joined.leaves else joined.path


def _checked(stack: Resource, source: Source) -> Iterator[PathEntry]:
    """Files Periphery checks before ``pre_deploy``, each with its key."""
    composes = compose_files(stack)
    if source.where is not Where.UI:
        yield from composes or [PathEntry("file_paths", DEFAULT_COMPOSE_FILE, ())]
    own = _text(stack.config, "env_file_path").strip() or ".env"
    for entry in env_files(stack):
        if entry.track and not _same(entry.path, own):
            yield entry
    yield from config_files(stack)


def _same(first: str, second: str) -> bool:
    return posixpath.normpath(first.strip()) == posixpath.normpath(second.strip())


def _report(
    rule: RuleInfo,
    workspace: Workspace,
    stack: Resource,
    source: Source,
    entry: PathEntry,
    target: str,
) -> Iterator[Finding]:
    severity = Severity.WARNING
    if source.in_tree and not target.startswith("/"):
        if workspace.is_file(target):
            return
        severity = Severity.ERROR
    written = entry.path.strip()
    line, _ = stack.position("config", "pre_deploy", "command")
    listed = _listed(stack, entry)
    outcome = (
        "it is not in the repository, so every deploy fails with missing files"
        if severity is Severity.ERROR
        else "unless it is committed in the repository, every deploy fails with "
        "missing files"
    )
    yield rule.finding(
        f"{stack.label}: pre_deploy.command (line {line}) writes `{written}`, "
        f"{listed}; Komodo checks that file exists before pre_deploy runs, "
        f"and {outcome}",
        location=at_key(stack, "config", "pre_deploy", "command", value=True),
        resource=ref(stack),
        hint=_HINTS[entry.field].format(path=written),
        severity=severity,
    )


def _listed(stack: Resource, entry: PathEntry) -> str:
    if not entry.keys:
        return "the compose file Komodo uses when file_paths is not set"
    line, _ = stack.position(*entry.keys)
    return f"which {entry.field} lists (line {line})"


RULE = RuleInfo(
    code="KG610",
    name="pre-deploy-writes-checked-file",
    severity=Severity.ERROR,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
