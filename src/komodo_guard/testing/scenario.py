"""Scenario files: the state a Core emulator starts from.

A scenario lists resources as minimal tables (a name plus whatever matters to the
test); the emulator fills in Komodo's defaults. Times are written relative to now
with ``ago = "5d"`` (also ``resolved_ago``, ``last_sync_ago``, ``last_run_ago``,
``last_built_ago``, ``last_pulled_ago``; units ``d``, ``h``, ``m``, ``s``,
combinable as ``"3d12h"``), so a scenario
describes "failing for five days" whenever it is loaded. TOML and JSON are
accepted; a bad file raises `ScenarioError` naming the file and line.

Stacks may say what git holds against what was deployed: ``changed_files``
(paths whose contents in git differ from the deployed ones) and
``remote_errors`` (paths Core could not read from git). ``secrets`` lists the
names of Core's own ``[secrets]`` (ListSecrets; a server or builder may list its
own ``secrets`` too). ``execute_error`` on a resource makes Core refuse to start
work on it: single executions answer with that error, batch executions report
it as a failed item.

Work Core starts succeeds unless the resource says it fails: ``deploy_fails``
(a stack's DeployStack, a deployment's Deploy), ``build_fails`` (RunBuild),
``pull_fails`` (PullRepo), ``run_fails`` (RunProcedure, RunAction) and
``sync_fails`` (RunSync). The failed Update carries one failed log stage of
the emulator's own (a stack's or repo's ``git pull`` blocked by untracked
files, a deployment's image that cannot be pulled, a build's failed step), or
the stages of ``deploy_logs``, ``build_logs`` or ``pull_logs``: tables of
``stage``, ``command``, ``stdout``, ``stderr`` and ``success`` (default false).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

_LISTS = (
    "servers",
    "stacks",
    "deployments",
    "syncs",
    "procedures",
    "actions",
    "alerters",
    "builds",
    "repos",
    "builders",
    "swarms",
    "variables",
    "updates",
    "alerts",
)
_NAMED = _LISTS[:12]
_PATH_LISTS = ("changed_files", "remote_errors", "missing_files")
_LOG_LISTS = ("deploy_logs", "build_logs", "pull_logs")
_AGO_KEYS = (
    "ago",
    "resolved_ago",
    "last_sync_ago",
    "last_run_ago",
    "last_built_ago",
    "last_pulled_ago",
)
_DURATION = re.compile(r"(\d+(?:\.\d+)?)([dhms])")
_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}


class ScenarioError(ValueError):
    """A scenario file that cannot be loaded; the message starts with file:line."""


@dataclass
class Scenario:
    """Everything a `CoreEmulator` serves, as minimal Komodo-like tables."""

    version: str = "2.3.2"
    core_info: dict[str, Any] = field(default_factory=dict)
    servers: list[dict[str, Any]] = field(default_factory=list)
    stacks: list[dict[str, Any]] = field(default_factory=list)
    deployments: list[dict[str, Any]] = field(default_factory=list)
    syncs: list[dict[str, Any]] = field(default_factory=list)
    procedures: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    alerters: list[dict[str, Any]] = field(default_factory=list)
    builds: list[dict[str, Any]] = field(default_factory=list)
    repos: list[dict[str, Any]] = field(default_factory=list)
    builders: list[dict[str, Any]] = field(default_factory=list)
    swarms: list[dict[str, Any]] = field(default_factory=list)
    variables: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    webhook_secret: str = ""
    secrets: list[str] = field(default_factory=list)


def parse_ago(text: str) -> float:
    """Seconds in a relative time such as ``"5d"`` or ``"3d12h"``."""
    compact = text.replace(" ", "")
    parts = _DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise ValueError(f"`{text}` is not a duration like 5d, 3h30m or 90s")
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def load_scenario(path: Path) -> Scenario:
    """Read a TOML or JSON scenario; a bad one raises `ScenarioError` (file:line)."""
    text = path.read_text(encoding="utf-8")
    data = _parse(path, text)
    return _build(path, text, data)


def _parse(path: Path, text: str) -> dict[str, Any]:
    if path.suffix == ".json":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as error:
            raise ScenarioError(f"{path}:{error.lineno}: {error.msg}") from error
        if not isinstance(loaded, dict):
            raise ScenarioError(f"{path}:1: a scenario must be a JSON object")
        return loaded
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"at line (\d+)", str(error))
        end = str(text.count("\n") + 1) if "end of document" in str(error) else "1"
        line = match.group(1) if match else end
        raise ScenarioError(f"{path}:{line}: {error}") from error


def _build(path: Path, text: str, data: dict[str, Any]) -> Scenario:
    known = {f.name for f in fields(Scenario)}
    for key in data:
        if key not in known:
            raise ScenarioError(
                f"{path}:{_line_of(text, key)}: unknown key `{key}`; "
                f"expected one of {', '.join(sorted(known))}"
            )
    for key in _LISTS:
        _check_list(path, text, key, data.get(key, []))
    for key in ("version", "webhook_secret"):
        if not isinstance(data.get(key, ""), str):
            raise ScenarioError(
                f"{path}:{_line_of(text, key)}: `{key}` must be a string"
            )
    secrets = data.get("secrets", [])
    if not isinstance(secrets, list) or not all(isinstance(s, str) for s in secrets):
        raise ScenarioError(
            f"{path}:{_line_of(text, 'secrets')}: `secrets` must be an array of names"
        )
    if not isinstance(data.get("core_info", {}), dict):
        raise ScenarioError(f"{path}:{_line_of(text, 'core_info')}: expected a table")
    return Scenario(**data)


def _check_list(path: Path, text: str, key: str, items: object) -> None:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ScenarioError(
            f"{path}:{_line_of(text, key)}: `{key}` must be an array of tables"
        )
    for index, item in enumerate(items):
        problem = _item_problem(key, item)
        if problem:
            line = _line_of(text, key, index)
            raise ScenarioError(f"{path}:{line}: {key}[{index}]: {problem}")


def _item_problem(key: str, item: dict[str, Any]) -> str:
    if key in _NAMED and not isinstance(item.get("name"), str):
        return "every entry needs a string `name`"
    for key_name in _AGO_KEYS:
        if key_name in item:
            try:
                parse_ago(str(item[key_name]))
            except ValueError as error:
                return f"`{key_name}`: {error}"
    for key_name in _PATH_LISTS:
        paths = item.get(key_name, [])
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            return f"`{key_name}` must be an array of file paths"
    for key_name in _LOG_LISTS:
        logs = item.get(key_name, [])
        if not isinstance(logs, list) or not all(isinstance(g, dict) for g in logs):
            return f"`{key_name}` must be an array of tables like {{ stage = ... }}"
    if key in ("updates", "alerts") and not isinstance(item.get("target"), dict):
        return '`target` must be a table like { type = "Stack", name = "traefik" }'
    return ""


def _line_of(text: str, key: str, index: int = 0) -> int:
    """Best-effort line of a key (or of the index-th ``[[key]]`` table)."""
    header = re.compile(rf"^[ \t]*\[\[\s*{re.escape(key)}\s*\]\]", re.MULTILINE)
    headers = [m.start() for m in header.finditer(text)]
    if index < len(headers):
        return text.count("\n", 0, headers[index]) + 1
    name = re.escape(key)
    plain = re.compile(
        rf"^[ \t]*(\[\s*{name}\s*\]|{name}\s*=|\"{name}\"\s*:)", re.MULTILINE
    )
    match = plain.search(text)
    if match is None:
        return 1
    return text.count("\n", 0, match.start()) + 1
