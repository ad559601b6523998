"""The secret map: which places hold each secret, from ``komodo-guard.toml``.

The map lives in the ``[secrets]`` table of ``komodo-guard.toml`` (or of
``[tool.komodo-guard]`` in ``pyproject.toml``)::

    [secrets]
    github_api = "https://api.github.com"     # optional
    sops = "/usr/local/bin/sops"              # optional: the sops rotate writes with

    [[secrets.secret]]
    name = "komodo-database-password"

    [[secrets.secret.places]]
    kind = "sops"
    file = "secrets/komodo.sops.yaml"
    key = "database.password"
    source = true                             # the copy the others follow

    [[secrets.secret.places]]
    kind = "env-file"
    file = "/etc/komodo/compose.env"
    key = "KOMODO_DATABASE_PASSWORD"

Each place has a ``kind`` (see :data:`~komodo_guard.secrets.places.PLACE_TYPES`
and each kind's module for its keys) and may say ``source = true`` (at most
one per secret, and only on a place whose value can be read). Relative file
paths are relative to the folder of the file holding the map. Every error
names the file, line and column, the key, and what was expected.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from komodo_guard.secrets.places import PLACE_TYPES
from komodo_guard.secrets.places.interface import (
    DEFAULT_GITHUB_API,
    AuthPlace,
    KeyPath,
    MapError,
    Place,
    Table,
    dotted,
)
from komodo_guard.workspace.toml_file import TomlFile, parse_toml

SECRETS_KEYS = ("github_api", "sops", "secret")
SECRET_KEYS = ("name", "description", "places")
COMMON_PLACE_KEYS = ("kind", "source")


@dataclass(frozen=True)
class SecretSpec:
    """One secret of the map and its places, in the order written."""

    name: str
    places: tuple[Place, ...]
    description: str = ""


@dataclass(frozen=True)
class SecretMap:
    """The whole map; ``base`` is the folder relative file paths start from."""

    secrets: tuple[SecretSpec, ...] = ()
    github_api: str = DEFAULT_GITHUB_API
    file: str = ""
    base: Path = Path()
    sops: str | None = None


def load_secret_map(path: Path) -> SecretMap:
    """Read the ``[secrets]`` table of the config file at ``path``.

    A file without one gives an empty map; a wrong one raises
    :class:`MapError`.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise MapError(f"{path}: cannot read: {error.strerror}") from None
    parsed = parse_toml(str(path), raw, "1.1")
    if parsed.data is None:
        problem = parsed.problems[0]
        raise MapError(f"{path}:{problem.line}:{problem.column}: {problem.message}")
    prefix: KeyPath = ("tool", "komodo-guard") if path.name == "pyproject.toml" else ()
    data: Any = parsed.data
    for key in prefix:
        data = data.get(key, {}) if isinstance(data, Mapping) else {}
    return read_secret_map(parsed, data, prefix, path.parent)


def read_secret_map(
    file: TomlFile, data: Mapping[str, Any], prefix: KeyPath, base: Path
) -> SecretMap:
    """The map in ``data`` (the config's top-level table, found at ``prefix``
    in ``file``); relative paths start at ``base``."""
    reader = _Reader(file, prefix)
    table = data.get("secrets", {})
    if not isinstance(table, Mapping):
        raise reader.fail(("secrets",), "must be a table")
    reader.check_keys(table, ("secrets",), SECRETS_KEYS)
    entries = table.get("secret", [])
    if not isinstance(entries, list) or not all(
        isinstance(entry, Mapping) for entry in entries
    ):
        raise reader.fail(("secrets", "secret"), "must be an array of tables")
    secrets = tuple(reader.secret(entry, index) for index, entry in enumerate(entries))
    reader.unique_names(secrets)
    return SecretMap(
        secrets=secrets,
        github_api=reader.github_api(table.get("github_api", DEFAULT_GITHUB_API)),
        file=file.path,
        base=base,
        sops=reader.sops(table.get("sops")),
    )


class _Reader:
    """Checks each table and key of the map, and reports where it is written."""

    def __init__(self, file: TomlFile, prefix: KeyPath) -> None:
        self._file = file
        self._prefix = prefix

    def fail(self, keys: KeyPath, expected: str) -> MapError:
        full = (*self._prefix, *keys)
        line, column = self._file.position(full)
        return MapError(
            f"{self._file.path}:{line}:{column}: `{dotted(full)}` {expected}"
        )

    def check_keys(
        self, table: Mapping[str, Any], keys: KeyPath, allowed: tuple[str, ...]
    ) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(
                    (*keys, key),
                    f"is not a known key{_did_you_mean(key, allowed)} "
                    f"(allowed: {', '.join(allowed)})",
                )

    def secret(self, entry: Mapping[str, Any], index: int) -> SecretSpec:
        keys: KeyPath = ("secrets", "secret", index)
        self.check_keys(entry, keys, SECRET_KEYS)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.fail((*keys, "name"), "must be a non-empty string (needed)")
        description = entry.get("description", "")
        if not isinstance(description, str):
            raise self.fail((*keys, "description"), "must be a string")
        places = entry.get("places")
        if not isinstance(places, list) or not places:
            raise self.fail(
                (*keys, "places"),
                "must be a non-empty array of tables ([[secrets.secret.places]])",
            )
        built = tuple(
            self.place(place, (*keys, "places", number))
            for number, place in enumerate(places)
        )
        self.one_source(built, keys)
        return SecretSpec(name, built, description)

    def place(self, table: object, keys: KeyPath) -> Place:
        if not isinstance(table, Mapping):
            raise self.fail(keys, "must be a table")
        kind = table.get("kind")
        if not isinstance(kind, str) or kind not in PLACE_TYPES:
            shown = f"`{kind}`" if isinstance(kind, str) else "missing"
            hint = (
                _did_you_mean(kind, tuple(PLACE_TYPES)) if isinstance(kind, str) else ""
            )
            raise self.fail(
                (*keys, "kind"),
                f"is {shown}, expected one of {', '.join(PLACE_TYPES)}{hint}",
            )
        place_type = PLACE_TYPES[kind]
        self.check_keys(table, keys, (*COMMON_PLACE_KEYS, *place_type.keys))
        place = place_type.from_table(Table(table, (*self._prefix, *keys), self._file))
        if place.source and isinstance(place, AuthPlace):
            raise self.fail(
                (*keys, "source"),
                f"cannot be true on a {kind} place: its value is never read",
            )
        if place.source and kind == "github-secret":
            raise self.fail(
                (*keys, "source"),
                "cannot be true on a github-secret place: GitHub never shows values",
            )
        return place

    def one_source(self, places: tuple[Place, ...], keys: KeyPath) -> None:
        sources = [number for number, place in enumerate(places) if place.source]
        if len(sources) > 1:
            raise self.fail(
                (*keys, "places", sources[1], "source"),
                "is true on more than one place of this secret; mark only the copy "
                "the others must follow",
            )

    def unique_names(self, secrets: tuple[SecretSpec, ...]) -> None:
        seen: set[str] = set()
        for index, secret in enumerate(secrets):
            if secret.name in seen:
                raise self.fail(
                    ("secrets", "secret", index, "name"),
                    f"repeats the name {secret.name!r}; each secret needs its own",
                )
            seen.add(secret.name)

    def github_api(self, value: object) -> str:
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            raise self.fail(
                ("secrets", "github_api"),
                "must be a URL starting with https:// (e.g. https://api.github.com)",
            )
        return value.rstrip("/")

    def sops(self, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(
                ("secrets", "sops"),
                'must be the path of the sops binary (e.g. "/usr/local/bin/sops")',
            )
        return value


def _did_you_mean(word: str, candidates: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""
