"""``komodo-guard.toml`` (or ``[tool.komodo-guard]`` in ``pyproject.toml``).

Every key is optional. Errors name the file, line and what was expected; an
unknown key, severity or rule comes with the one that was probably meant::

    komodo_version = "2.3"          # target Komodo version (default: newest known)
    fail_on = "warning"             # error | warning | info

    [rules]
    disable = ["KG004"]              # codes or names
    severity = { unknown-reference = "info" }

    [known]                          # names that exist only in Komodo's UI
    servers = ["Local"]
    repos = ["homelab"]
    variables = ["DOMAIN"]
    alerters = ["ntfy"]              # also stacks, deployments, builds, builders,
                                     # procedures, actions, syncs, swarms

    [tree]
    repos = ["owner/homelab"]        # git repositories this tree is
    folders = { "homelab" = ".", "owner/other" = "vendor/other" }

    [komodo]
    url = "https://komodo.example.net"   # Core for drift, audit and postmortem

``[tree] folders`` maps a Repo resource name (as ``linked_repo`` names it) or a
git ``owner/name`` to the folder of this tree that holds its files. ``[komodo]
url`` is the Komodo Core the live commands read (``--komodo`` wins over it,
``KOMODO_URL`` stands in when neither is given); the API key and secret are
never read from this file, only from ``KOMODO_API_KEY`` / ``KOMODO_API_SECRET``.
The JSON
schema ``schema/komodo-guard.schema.json`` describes the same keys for editors;
the tests keep the two in agreement.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from komodo_guard.rules.interface import Severity
from komodo_guard.workspace.model import normalize_repo
from komodo_guard.workspace.toml_file import TomlFile, parse_toml

CONFIG_NAME = "komodo-guard.toml"
SEVERITY_WORDS = ("error", "warning", "info")

# ``[known]`` keys naming resources of one kind, mapped to that kind (``servers``
# and ``repos`` also fill ``known_servers`` / ``known_repos``).
KNOWN_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "alerters": "alerter",
        "stacks": "stack",
        "deployments": "deployment",
        "builds": "build",
        "builders": "builder",
        "procedures": "procedure",
        "actions": "action",
        "syncs": "resource_sync",
        "swarms": "swarm",
    }
)

# Every table of the file and the keys it may hold; ``rules.severity`` and
# ``tree.folders`` are maps whose keys are the operator's.
TABLE_KEYS: Mapping[tuple[str, ...], tuple[str, ...]] = MappingProxyType(
    {
        (): ("komodo_version", "fail_on", "rules", "known", "tree", "komodo"),
        ("rules",): ("disable", "severity"),
        ("known",): ("servers", "repos", "variables", *KNOWN_KINDS),
        ("tree",): ("repos", "folders"),
        ("komodo",): ("url",),
    }
)

_VERSION = re.compile(r"v?[0-9]+\.[0-9]+(\.[0-9]+)?")
_GIT_REPO = re.compile(r"[^\s/:@]+(/[^\s/:@]+)+")
_RESOURCE_NAME = re.compile(r"[^\s/]+")
_RULE_KEY = re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*")
_CORE_URL = re.compile(r"https?://[^\s/@]+(/[^\s@]*)?")

Keys = tuple[str | int, ...]


class ConfigError(Exception):
    """The configuration file is unreadable or holds a wrong value."""


@dataclass(frozen=True)
class Config:
    """The operator's settings, with defaults for everything.

    ``disabled`` and the keys of ``severities`` are rule codes, whatever
    spelling the file used. ``tree_folders`` maps a Repo resource name (as
    written) or a git repository (normalised like
    :func:`~komodo_guard.workspace.model.normalize_repo`: lowercase
    ``owner/name``) to a tree-relative POSIX folder, ``""`` for the root.
    ``known_names`` holds a ``(kind, name)`` pair for every name of a
    ``[known]`` key (servers and repos included).
    """

    source: str = ""
    komodo_version: str | None = None
    fail_on: Severity = Severity.WARNING
    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    known_servers: frozenset[str] = frozenset()
    known_repos: frozenset[str] = frozenset()
    known_variables: frozenset[str] = frozenset()
    known_names: frozenset[tuple[str, str]] = frozenset()
    tree_repos: tuple[str, ...] = ()
    tree_folders: Mapping[str, str] = field(default_factory=dict)
    komodo_url: str | None = None
    """``[komodo] url``: the Core the live commands read, if configured."""


def find_config(tree: Path) -> Path | None:
    """``komodo-guard.toml`` at the tree's root, else a ``pyproject.toml`` there
    with a ``[tool.komodo-guard]`` table."""
    own = tree / CONFIG_NAME
    if own.is_file():
        return own
    pyproject = tree / "pyproject.toml"
    if pyproject.is_file() and b"komodo-guard" in pyproject.read_bytes():
        return pyproject
    return None


def load_config(path: Path | None) -> Config:
    """Read and check a configuration file; ``None`` gives the defaults."""
    if path is None:
        return Config()
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from error
    parsed = parse_toml(str(path), raw, "1.1")
    if parsed.data is None:
        problem = parsed.problems[0]
        raise ConfigError(f"{path}:{problem.line}:{problem.column}: {problem.message}")
    data: Mapping[str, Any] = parsed.data
    prefix: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("komodo-guard", {})
        prefix = ("tool", "komodo-guard")
    return _Reader(parsed, prefix).config(data)


def did_you_mean(word: str, candidates: tuple[str, ...] | list[str]) -> str:
    """``; did you mean `x`?`` for the closest candidate, or ``""``."""
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if not close:
        folded = {candidate.lower(): candidate for candidate in candidates}
        close = [folded[word.lower()]] if word.lower() in folded else []
    return f"; did you mean `{close[0]}`?" if close else ""


class _Reader:
    """Checks each key and value, and reports the line it came from."""

    def __init__(self, file: TomlFile, prefix: tuple[str, ...]) -> None:
        self._file = file
        self._prefix = prefix

    def fail(self, keys: Keys, expected: str) -> ConfigError:
        full = (*self._prefix, *keys)
        line, column = self._file.position(full)
        return ConfigError(
            f"{self._file.path}:{line}:{column}: `{_dotted(full)}` {expected}"
        )

    def config(self, data: Mapping[str, Any]) -> Config:
        if not isinstance(data, Mapping):
            raise self.fail((), "must be a table")
        tables = {keys: self.table(data, keys) for keys in TABLE_KEYS}
        rules, known, tree = tables[("rules",)], tables[("known",)], tables[("tree",)]
        komodo = tables[("komodo",)]
        return Config(
            source=self._file.path,
            komodo_version=self.version(data.get("komodo_version")),
            fail_on=self.severity(data.get("fail_on", "warning"), ("fail_on",)),
            disabled=frozenset(self.rule_codes(rules)),
            severities=MappingProxyType(self.severities(rules)),
            known_servers=frozenset(self.strings(known, ("known", "servers"))),
            known_repos=frozenset(self.strings(known, ("known", "repos"))),
            known_variables=frozenset(self.strings(known, ("known", "variables"))),
            known_names=frozenset(self.known_names(known)),
            tree_repos=tuple(self.git_repos(tree)),
            tree_folders=MappingProxyType(self.folders(tree)),
            komodo_url=self.core_url(komodo),
        )

    def table(
        self, data: Mapping[str, Any], keys: tuple[str, ...]
    ) -> Mapping[str, Any]:
        """The table at ``keys`` (empty when absent), with its keys checked."""
        table = data
        for key in keys:
            child = table.get(key, {})
            if not isinstance(child, Mapping):
                raise self.fail(keys, "must be a table")
            table = child
        self.check_keys(table, keys)
        return table

    def check_keys(self, table: Mapping[str, Any], keys: tuple[str, ...]) -> None:
        """An unknown key is an error at its line, with the likely one."""
        allowed = TABLE_KEYS[keys]
        for key in table:
            if key not in allowed:
                where = _table_name((*self._prefix, *keys))
                line, column = self._file.position((*self._prefix, *keys, key))
                raise ConfigError(
                    f"{self._file.path}:{line}:{column}: unknown key `{key}` "
                    f"{where}{did_you_mean(key, allowed)} "
                    f"(allowed: {', '.join(allowed)})"
                )

    def strings(self, data: Mapping[str, Any], keys: tuple[str, ...]) -> list[str]:
        value = data.get(keys[-1], [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(keys, "must be an array of strings")
        return value

    def known_names(self, known: Mapping[str, Any]) -> list[tuple[str, str]]:
        """``(kind, name)`` for every name of a ``[known]`` key naming resources."""
        kinds = {"servers": "server", "repos": "repo", **KNOWN_KINDS}
        return [
            (kind, name)
            for key, kind in kinds.items()
            for name in self.strings(known, ("known", key))
        ]

    def version(self, value: object) -> str | None:
        """A version string of a release komodo-guard models (1.16 or later)."""
        from komodo_guard.komodo.versions import KomodoVersion, closest_supported

        if value is None:
            return None
        if not isinstance(value, str) or not _VERSION.fullmatch(value):
            raise self.fail(
                ("komodo_version",),
                'must be a string such as "2.3" or "1.17.5" (MAJOR.MINOR[.PATCH])',
            )
        try:
            closest_supported(KomodoVersion.parse(value))
        except ValueError as error:
            raise self.fail(("komodo_version",), f"is not usable: {error}") from None
        return value

    def severity(self, value: object, keys: Keys) -> Severity:
        if isinstance(value, str) and value in SEVERITY_WORDS:
            return Severity.parse(value)
        hint = did_you_mean(value, SEVERITY_WORDS) if isinstance(value, str) else ""
        raise self.fail(keys, f"must be one of error, warning, info{hint}")

    def rule_codes(self, rules: Mapping[str, Any]) -> list[str]:
        """The codes of ``[rules] disable``, each checked against the registry."""
        names = self.strings(rules, ("rules", "disable"))
        return [
            self.rule_code(name, ("rules", "disable", index))
            for index, name in enumerate(names)
        ]

    def severities(self, rules: Mapping[str, Any]) -> dict[str, Severity]:
        """``[rules] severity`` keyed by rule code; one rule given twice fails."""
        table = rules.get("severity", {})
        if not isinstance(table, Mapping):
            raise self.fail(("rules", "severity"), "must be a table")
        result: dict[str, Severity] = {}
        for name, value in table.items():
            keys = ("rules", "severity", name)
            code = self.rule_code(name, keys)
            if code in result:
                raise self.fail(keys, f"sets the severity of {code} a second time")
            result[code] = self.severity(value, keys)
        return result

    def rule_code(self, name: str, keys: Keys) -> str:
        """The code of the rule ``name`` names (code in any case, or name)."""
        from komodo_guard.rules.registry import ALL_RULES, find

        rule = find(name) if _RULE_KEY.fullmatch(name) else None
        if rule is not None:
            return rule.code
        candidates = [r.code for r in ALL_RULES] + [r.name for r in ALL_RULES]
        hint = did_you_mean(name, candidates)
        raise self.fail(
            keys,
            f"names no rule: `{name}`{hint} (`komodo-guard rules` lists them all)",
        )

    def core_url(self, komodo: Mapping[str, Any]) -> str | None:
        """``[komodo] url``: an http(s) address without user or password."""
        value = komodo.get("url")
        if value is None:
            return None
        if not isinstance(value, str) or not _CORE_URL.fullmatch(value):
            raise self.fail(
                ("komodo", "url"),
                "must be the http:// or https:// address of Komodo Core, such as "
                '"https://komodo.example.net", without user or password (the API '
                "key and secret come from KOMODO_API_KEY and KOMODO_API_SECRET)",
            )
        return value

    def git_repos(self, tree: Mapping[str, Any]) -> list[str]:
        """``[tree] repos``: each one a git ``owner/name``."""
        repos = self.strings(tree, ("tree", "repos"))
        for index, repo in enumerate(repos):
            if not _GIT_REPO.fullmatch(repo):
                raise self.fail(
                    ("tree", "repos", index),
                    f"must be a git repository such as `owner/name`, not `{repo}` "
                    "(a Repo resource name goes in [known] repos or [tree] folders)",
                )
        return repos

    def folders(self, tree: Mapping[str, Any]) -> dict[str, str]:
        """``[tree] folders``: Repo name or git repository -> tree folder."""
        table = tree.get("folders", {})
        if not isinstance(table, Mapping):
            raise self.fail(("tree", "folders"), "must be a table")
        result: dict[str, str] = {}
        for key, value in table.items():
            keys = ("tree", "folders", key)
            mapped = self.folder_key(key, keys)
            if mapped in result:
                raise self.fail(keys, f"maps `{mapped}` a second time")
            result[mapped] = self.folder(value, keys)
        return result

    def folder_key(self, key: str, keys: Keys) -> str:
        if _GIT_REPO.fullmatch(key):
            return normalize_repo(key)
        if _RESOURCE_NAME.fullmatch(key):
            return key
        raise self.fail(
            keys,
            "must name a Repo resource (`homelab`) or a git repository "
            "(`owner/name`), without host, scheme or spaces",
        )

    def folder(self, value: object, keys: Keys) -> str:
        """A tree-relative folder, normalised; ``""`` is the tree's root."""
        expected = 'must be a folder of this tree such as "." or "vendor/other"'
        if not isinstance(value, str):
            raise self.fail(keys, expected)
        if re.match(r"[/\\]|[A-Za-z]:", value):
            raise self.fail(keys, f"{expected}, not an absolute path")
        if ".." in value.split("/"):
            raise self.fail(keys, f"{expected}, written without `..`")
        clean = posixpath.normpath(value or ".")
        return "" if clean == "." else clean


def _dotted(keys: Keys) -> str:
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def _table_name(keys: tuple[str, ...]) -> str:
    return f"in [{'.'.join(keys)}]" if keys else "at the top level"
