"""A file in the wrong Stack list: ``file_paths`` or ``additional_env_files``.

``file_paths`` must hold compose files and ``additional_env_files`` dotenv
files.

Every ``file_paths`` entry is passed to ``docker compose -f``, so an env file
or a config file there makes compose fail to parse it as a compose file. Env
files belong in ``additional_env_files`` (passed with ``--env-file``); other
files a deploy depends on belong in ``config_files``. The other way round,
every ``additional_env_files`` entry is passed with ``--env-file``, which
reads ``KEY=value`` lines: a YAML, JSON or TOML file there is misread line by
line (Komodo issue #648 shows a ``secrets.yaml`` there next to a flapping
sync).

Failing::

    [stack.config]
    file_paths = ["compose.yaml", ".env"]
    additional_env_files = ["secrets.yaml"]

Passing::

    [stack.config]
    file_paths = ["compose.yaml"]
    additional_env_files = [".env", "secrets.env"]
"""

from __future__ import annotations

import posixpath
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

COMPOSE_EXTENSIONS = frozenset({".yaml", ".yml", ".json"})
NOT_DOTENV = frozenset(
    {".yaml", ".yml", ".json", ".toml", ".xml", ".sh", ".bash", ".py", ".js", ".ts"}
)


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Findings for misplaced ``file_paths`` and ``additional_env_files`` entries."""
    for stack in workspace.of_kind("stack"):
        for entry in compose_files(stack):
            finding = _compose_entry(rule, stack, entry)
            if finding is not None:
                yield finding
        for entry in env_files(stack):
            if _extension(entry.path) in NOT_DOTENV:
                yield _not_dotenv(rule, stack, entry)


def _is_env_file(path: str) -> bool:
    """``.env``, ``.env.local``, ``app.env``: names of dotenv files."""
    name = posixpath.basename(path.strip())
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def _extension(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path.strip()))[1].lower()


def _compose_entry(rule: RuleInfo, stack: Resource, entry: PathEntry) -> Finding | None:
    if _is_env_file(entry.path):
        what = "an env file"
        hint = "move it to additional_env_files (passed with --env-file)"
    elif _extension(entry.path) not in COMPOSE_EXTENSIONS | {""}:
        what = "not a YAML file"
        hint = (
            "list files the stack depends on in config_files; keep only compose "
            "files in file_paths"
        )
    else:
        return None
    return rule.finding(
        f"{stack.label}: file_paths entry `{entry.path}` is {what}, but every "
        "file_paths entry is passed to `docker compose -f` as a compose file",
        location=at_key(stack, *entry.keys, value=True),
        resource=ref(stack),
        hint=hint,
    )


def _not_dotenv(rule: RuleInfo, stack: Resource, entry: PathEntry) -> Finding:
    return rule.finding(
        f"{stack.label}: additional_env_files entry `{entry.path}` does not look "
        "like a dotenv file; it is passed to `docker compose --env-file`, which "
        "reads KEY=value lines",
        location=at_key(stack, *entry.keys, value=True),
        resource=ref(stack),
        hint="convert it to KEY=value lines (e.g. secrets.env), or list it in "
        "config_files if the stack only mounts it",
    )


RULE = RuleInfo(
    code="KG402",
    name="not-compose-file",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
