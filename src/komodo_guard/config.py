"""``komodo-guard.toml`` (or ``[tool.komodo-guard]`` in ``pyproject.toml``).

Every key is optional. Errors name the file, line and what was expected::

    komodo_version = "2.3"          # target Komodo version (default: newest known)
    fail_on = "warning"             # error | warning | info

    [rules]
    disable = ["KG004"]              # codes or names
    severity = { unknown-reference = "info" }

    [known]                          # names that exist only in Komodo's UI
    servers = ["Local"]
    repos = ["homelab"]
    variables = ["DOMAIN"]

    [tree]
    repos = ["owner/homelab"]        # git repositories this tree is
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from komodo_guard.rules.interface import Severity
from komodo_guard.workspace.toml_file import TomlFile, parse_toml

CONFIG_NAME = "komodo-guard.toml"


class ConfigError(Exception):
    """The configuration file is unreadable or holds a wrong value."""


@dataclass(frozen=True)
class Config:
    """The operator's settings, with defaults for everything."""

    source: str = ""
    komodo_version: str | None = None
    fail_on: Severity = Severity.WARNING
    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    known_servers: frozenset[str] = frozenset()
    known_repos: frozenset[str] = frozenset()
    known_variables: frozenset[str] = frozenset()
    tree_repos: tuple[str, ...] = ()


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


class _Reader:
    """Checks each value's type and reports the line it came from."""

    def __init__(self, file: TomlFile, prefix: tuple[str, ...]) -> None:
        self._file = file
        self._prefix = prefix

    def fail(self, keys: tuple[str, ...], expected: str) -> ConfigError:
        line, column = self._file.position((*self._prefix, *keys))
        dotted = ".".join(keys)
        return ConfigError(f"{self._file.path}:{line}:{column}: `{dotted}` {expected}")

    def config(self, data: Mapping[str, Any]) -> Config:
        known = self.table(data, ("known",))
        rules = self.table(data, ("rules",))
        tree = self.table(data, ("tree",))
        version = data.get("komodo_version")
        if version is not None and not isinstance(version, str):
            raise self.fail(("komodo_version",), 'must be a string such as "2.3"')
        return Config(
            source=self._file.path,
            komodo_version=version,
            fail_on=self.severity(data.get("fail_on", "warning"), ("fail_on",)),
            disabled=frozenset(self.strings(rules, ("rules", "disable"))),
            severities={
                key: self.severity(value, ("rules", "severity", key))
                for key, value in self.table(rules, ("rules", "severity")).items()
            },
            known_servers=frozenset(self.strings(known, ("known", "servers"))),
            known_repos=frozenset(self.strings(known, ("known", "repos"))),
            known_variables=frozenset(self.strings(known, ("known", "variables"))),
            tree_repos=tuple(self.strings(tree, ("tree", "repos"))),
        )

    def table(
        self, data: Mapping[str, Any], keys: tuple[str, ...]
    ) -> Mapping[str, Any]:
        value = data.get(keys[-1], {})
        if not isinstance(value, Mapping):
            raise self.fail(keys, "must be a table")
        return value

    def strings(self, data: Mapping[str, Any], keys: tuple[str, ...]) -> list[str]:
        value = data.get(keys[-1], [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(keys, "must be an array of strings")
        return value

    def severity(self, value: object, keys: tuple[str, ...]) -> Severity:
        if not isinstance(value, str):
            raise self.fail(keys, "must be one of error, warning, info")
        try:
            return Severity.parse(value)
        except ValueError:
            raise self.fail(keys, "must be one of error, warning, info") from None
