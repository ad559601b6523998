"""``secrets map --suggest``: propose a secret map from the tree and the host.

Where secrets are found, by key name only (no value is decrypted, kept or
printed):

- SOPS files of the tree (YAML, JSON, dotenv with sops metadata): every
  encrypted key, read from the file's clear structure;
- env files (``compose.env``, ``.env``, ``*.env``) whose keys look secret
  (:func:`~komodo_guard.rules.content.secret_text.is_secret_key`) and hold a
  literal value; ``KOMODO_*`` keys become ``core-config`` places;
- Stacks whose ``environment`` uses a secret Variable as ``[[NAME]]``: a
  ``komodo-variable`` place (a Variable is secret when the tree declares it
  ``is_secret = true``, or when its name looks secret);
- Komodo's database password (``KOMODO_DATABASE_PASSWORD``,
  ``KOMODO_MONGO_PASSWORD``, 1.x's ``KOMODO_DB_PASSWORD``): the matching
  ``mongodb-user`` or ``postgres-user`` (FerretDB) place, at the address and
  user Core's settings name (:mod:`komodo_guard.secrets.dbaddress`);
- with a Docker socket, every container whose environment has one of the
  keys found.

Places are grouped into one secret when their key names agree (a nested SOPS
key ``database.password`` is named ``DATABASE_PASSWORD``). The result is TOML
to review and paste into ``komodo-guard.toml``, its file paths written from
the folder of the file that will hold it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from yamlcore import CoreLoader

from komodo_guard.host.model import Container
from komodo_guard.komodo.interpolation import find_variables
from komodo_guard.komodo.names import normalize_name
from komodo_guard.komodo.parsers import parse_env_block
from komodo_guard.rules.content.secret_text import is_secret_key
from komodo_guard.secrets.dbaddress import (
    SETTING_KEYS,
    URI_KEYS,
    DatabaseAddress,
    Setting,
    database_address,
)
from komodo_guard.secrets.places.mongodb import DEFAULT_PORT as MONGO_PORT
from komodo_guard.secrets.places.postgres import DEFAULT_PORT as POSTGRES_PORT
from komodo_guard.secrets.value import SecretValue
from komodo_guard.workspace.envfile import DotenvEntry, dotenv_entries
from komodo_guard.workspace.model import Workspace

MAX_SCAN_BYTES = 1024 * 1024
DATABASE_PASSWORDS = (
    "KOMODO_DATABASE_PASSWORD",
    "KOMODO_MONGO_PASSWORD",
    "KOMODO_DB_PASSWORD",
)
_SOPS_SUFFIXES = (".yaml", ".yml", ".json", ".env")
_ENCRYPTED_MARK = "ENC[AES256_GCM,"
_ADDRESS_NOTE = (
    "check it is the database's address as seen from where komodo-guard runs"
)
_REFERENCE = re.compile(
    r"\$(?:\{(?P<name>\w+)(?::?-(?P<default>[^}$]*))?\}|(?P<bare>\w+))"
)

Value = str | int | bool | list[str | int]
Keys = tuple[str | int, ...]
Proposals = Iterator[tuple[str, "ProposedPlace"]]


@dataclass(frozen=True)
class ProposedPlace:
    """One place table to propose, its keys in order, and a comment."""

    items: tuple[tuple[str, Value], ...]
    note: str = ""


@dataclass
class ProposedSecret:
    """A secret to propose: its key name and the places found for it."""

    key: str
    places: list[ProposedPlace] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The secret's name in the map: ``KOMODO_DB_PASSWORD`` ->
        ``komodo-db-password``."""
        return self.key.lower().replace("_", "-")

    def add(self, place: ProposedPlace) -> None:
        """Add ``place`` unless the same table is already proposed."""
        if all(known.items != place.items for known in self.places):
            self.places.append(place)


def suggest_map(
    root: Path,
    workspace: Workspace,
    containers: Iterable[Container] = (),
    *,
    folder: Path | None = None,
) -> list[ProposedSecret]:
    """Secrets found in the tree at ``root`` (and in ``containers``), in the
    order first found; file paths as a map in ``folder`` reads them
    (:func:`map_path`), tree-relative when it is None."""
    found: dict[str, ProposedSecret] = {}

    def add(key: str, place: ProposedPlace) -> None:
        found.setdefault(key, ProposedSecret(key)).add(place)

    for key, place in _sops_places(root, workspace):
        add(key, place)
    env_files = list(_env_files(root, workspace))
    for path, entries in env_files:
        for key, place in _env_places(path, entries):
            add(key, place)
    uses = list(variable_uses(workspace))
    for use in uses:
        add(use.variable, _variable_place(use))
    for key, place in _database_places(workspace, env_files, found):
        add(key, place)
    for key, place in _container_places(list(containers), found, uses):
        add(key, place)
    if folder is not None:
        for secret in found.values():
            secret.places = [_relocated(place, root, folder) for place in secret.places]
    return list(found.values())


def map_path(root: Path, path: str, folder: Path) -> str:
    """Tree-relative ``path`` as a map file in ``folder`` must write it:
    relative to ``folder`` when that folder is in the tree, else absolute
    (a climb out of the tree would break when either moves)."""
    target = (root / path).resolve()
    start = folder.resolve()
    if start.is_relative_to(root.resolve()):
        return Path(os.path.relpath(target, start)).as_posix()
    return str(target)


def _relocated(place: ProposedPlace, root: Path, folder: Path) -> ProposedPlace:
    items = tuple(
        (key, map_path(root, value, folder))
        if key == "file" and isinstance(value, str)
        else (key, value)
        for key, value in place.items
    )
    return replace(place, items=items)


def _read(root: Path, path: str) -> str | None:
    target = root / path
    try:
        if target.stat().st_size > MAX_SCAN_BYTES:
            return None
        return target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _group_key(keys: Keys) -> str:
    parts = [str(key) for key in keys if isinstance(key, str)]
    return "_".join(parts).upper().replace("-", "_").replace(".", "_")


# SOPS files --------------------------------------------------------------------


def _sops_places(root: Path, workspace: Workspace) -> Proposals:
    for path in sorted(workspace.files):
        if not path.endswith(_SOPS_SUFFIXES) and not path.endswith("/.env"):
            continue
        text = _read(root, path)
        if text is None or _ENCRYPTED_MARK not in text:
            continue
        for keys in _encrypted_keys(path, text):
            written: Value = (
                ".".join(str(k) for k in keys)
                if all(isinstance(k, str) and "." not in k for k in keys)
                else list(keys)
            )
            place = ProposedPlace((("kind", "sops"), ("file", path), ("key", written)))
            yield _group_key(keys), place


def _encrypted_keys(path: str, text: str) -> Iterator[Keys]:
    """Key paths of the encrypted leaves, from the file's clear structure."""
    if path.endswith(".env") or path.rpartition("/")[2] == ".env":
        if "sops_mac=" not in text:
            return
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if (
                sep
                and not key.startswith("sops_")
                and value.startswith(_ENCRYPTED_MARK)
            ):
                yield (key,)
        return
    try:
        document = (
            json.loads(text)
            if path.endswith(".json")
            else yaml.load(text, Loader=CoreLoader)
        )
    except (ValueError, yaml.YAMLError):
        return
    if isinstance(document, dict) and isinstance(document.pop("sops", None), dict):
        yield from _leaf_keys(document, ())


def _leaf_keys(
    node: Any, keys: tuple[str | int, ...]
) -> Iterator[tuple[str | int, ...]]:
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _leaf_keys(child, (*keys, str(key)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _leaf_keys(child, (*keys, index))
    elif isinstance(node, str) and node.startswith(_ENCRYPTED_MARK):
        yield keys


# env files ---------------------------------------------------------------------


def _is_env_file(path: str) -> bool:
    name = path.rpartition("/")[2]
    return name.endswith(".env") or name == ".env" or name.startswith(".env.")


def _env_files(
    root: Path, workspace: Workspace
) -> Iterator[tuple[str, tuple[DotenvEntry, ...]]]:
    for path in sorted(workspace.files):
        if not _is_env_file(path):
            continue
        text = _read(root, path)
        if text is None or _ENCRYPTED_MARK in text:
            continue
        yield path, dotenv_entries(text)


def _env_places(path: str, entries: tuple[DotenvEntry, ...]) -> Proposals:
    for entry in entries:
        if not is_secret_key(entry.key) or not _literal(entry):
            continue
        kind = "core-config" if entry.key.startswith("KOMODO_") else "env-file"
        yield (
            entry.key,
            ProposedPlace((("kind", kind), ("file", path), ("key", entry.key))),
        )


def _literal(entry: DotenvEntry) -> bool:
    value = entry.value
    return bool(value) and not (entry.expands and "${" in (value or ""))


# Komodo Variables ---------------------------------------------------------------


@dataclass(frozen=True)
class VariableUse:
    """A secret Variable a Stack's environment sets ``key`` to, and the
    compose project the Stack deploys as."""

    variable: str
    stack: str
    project: str
    key: str


def variable_uses(workspace: Workspace) -> Iterator[VariableUse]:
    """``KEY=...[[NAME]]...`` lines of Stacks where NAME is a secret Variable."""
    declared = {
        variable.name: variable.body.get("is_secret") is True
        for variable in workspace.of_kind("variable")
        if variable.name
    }
    for stack in workspace.of_kind("stack"):
        environment = stack.config.get("environment")
        if not isinstance(environment, str) or not stack.name:
            continue
        project = stack.config.get("project_name") or normalize_name(
            "stack", stack.name
        )
        lines, _ = parse_env_block(environment)
        for line in lines:
            for use in find_variables(line.value):
                if use.error or use.placeholder or not use.name:
                    continue
                if declared.get(use.name, is_secret_key(use.name)):
                    yield VariableUse(use.name, stack.name, str(project), line.key)


def _variable_place(use: VariableUse) -> ProposedPlace:
    return ProposedPlace(
        (("kind", "komodo-variable"), ("variable", use.variable)),
        f"used as [[{use.variable}]] by stack {use.stack}",
    )


# the database --------------------------------------------------------------------


def _database_places(
    workspace: Workspace,
    env_files: list[tuple[str, tuple[DotenvEntry, ...]]],
    found: dict[str, ProposedSecret],
) -> Proposals:
    address = database_address(_database_settings(workspace, env_files))
    postgres = _uses_postgres(workspace)
    for key in DATABASE_PASSWORDS:
        if key in found:
            yield key, _postgres_place(address) if postgres else _mongo_place(address)


def _mongo_place(address: DatabaseAddress) -> ProposedPlace:
    items: list[tuple[str, Value]] = [
        ("kind", "mongodb-user"),
        ("host", address.host or "127.0.0.1"),
        ("port", address.port or MONGO_PORT),
        ("user", address.user or "admin"),
    ]
    if address.auth_source not in (None, "admin"):
        items.append(("auth_source", str(address.auth_source)))
    if address.tls:
        items.append(("tls", True))
    note = _address_note(address.sources)
    if address.srv:
        note += "; the URI is mongodb+srv: put one member's host and port"
    return ProposedPlace(tuple(items), note)


def _postgres_place(address: DatabaseAddress) -> ProposedPlace:
    """FerretDB's PostgreSQL: Core's settings give its user, not its address
    (Core talks to FerretDB, FerretDB to PostgreSQL)."""
    items: tuple[tuple[str, Value], ...] = (
        ("kind", "postgres-user"),
        ("host", "127.0.0.1"),
        ("port", POSTGRES_PORT),
        ("user", address.user or "admin"),
    )
    user = tuple(source for source in address.sources if "_USERNAME " in source)
    return ProposedPlace(items, _address_note(user))


def _address_note(sources: tuple[str, ...]) -> str:
    if not sources:
        return f"defaults: {_ADDRESS_NOTE}"
    return f"from {', '.join(sources)}: {_ADDRESS_NOTE}"


def _database_settings(
    workspace: Workspace, env_files: list[tuple[str, tuple[DotenvEntry, ...]]]
) -> Iterator[Setting]:
    """Core's database settings with a literal value: compose ``environment``
    first (it wins over ``env_file``), then env files; ``${NAME}`` in compose
    is looked up in the env files."""
    literals = [
        (path, entry.key, entry.value)
        for path, entries in env_files
        for entry in entries
        if entry.value and not (entry.expands and "$" in entry.value)
    ]
    first = {key: value for _, key, value in reversed(literals)}
    for compose in workspace.compose_files:
        for key, raw in _compose_environment(compose.data):
            value = _interpolated(raw, first)
            if key in SETTING_KEYS and value:
                yield _setting(key, value, compose.path)
    for path, key, value in literals:
        if key in SETTING_KEYS:
            yield _setting(key, value, path)


def _setting(key: str, value: str, path: str) -> Setting:
    return Setting(key, SecretValue(value) if key in URI_KEYS else value, path)


def _compose_environment(data: object) -> Iterator[tuple[str, str]]:
    """``KEY, value`` of every service's ``environment`` (mapping or list)."""
    services = data.get("services") if isinstance(data, dict) else None
    for service in services.values() if isinstance(services, dict) else ():
        environment = service.get("environment") if isinstance(service, dict) else None
        if isinstance(environment, dict):
            for key, value in environment.items():
                if isinstance(value, str | int):
                    yield str(key), str(value)
        elif isinstance(environment, list):
            for item in environment:
                key, sep, value = str(item).partition("=")
                if sep:
                    yield key, value


def _interpolated(value: str, literals: Mapping[str, str]) -> str | None:
    """``value`` with a whole-value ``${NAME}`` (or ``$NAME``, ``${NAME:-x}``)
    replaced from ``literals``; None for any other use of ``$``."""
    if "$" not in value:
        return value
    match = _REFERENCE.fullmatch(value)
    if match is None:
        return None
    name = match["name"] or match["bare"]
    return literals.get(name) or match["default"] or None


def _uses_postgres(workspace: Workspace) -> bool:
    """True when a compose file of the tree runs FerretDB or PostgreSQL."""
    for compose in workspace.compose_files:
        services = (
            compose.data.get("services") if isinstance(compose.data, dict) else None
        )
        if not isinstance(services, dict):
            continue
        for service in services.values():
            image = service.get("image") if isinstance(service, dict) else None
            if isinstance(image, str) and ("ferretdb" in image or "postgres" in image):
                return True
    return False


# containers ---------------------------------------------------------------------


def _container_places(
    containers: list[Container],
    found: dict[str, ProposedSecret],
    uses: list[VariableUse],
) -> Proposals:
    """Containers whose environment has a key found elsewhere, or the key a
    Stack sets from a secret Variable (in that Stack's containers)."""
    for container in sorted(containers, key=lambda c: c.name):
        names = {variable.name for variable in container.env}
        for name in sorted(names & set(found)):
            yield name, _container_place(container, name)
        for use in uses:
            if container.project == use.project and use.key in names:
                yield use.variable, _container_place(container, use.key)


def _container_place(container: Container, variable: str) -> ProposedPlace:
    return ProposedPlace(
        (
            ("kind", "container"),
            ("container", container.name),
            ("variable", variable),
        )
    )


# TOML ------------------------------------------------------------------------------

HEADER = """\
# Proposed by `komodo-guard secrets map --suggest` (key names only, never values).
# Review every place, mark the copy the others must follow with source = true,
# then paste into komodo-guard.toml and run `komodo-guard secrets check`.
"""


def render_suggestion(secrets: list[ProposedSecret], holder: Path | None = None) -> str:
    """The proposed map as TOML; ``holder`` is the file meant to hold it,
    whose folder its relative file paths start from."""
    header = HEADER
    if holder is not None:
        header += (
            f"# Relative file paths start at the folder of {_toml(str(holder))}:"
            " keep the map in that file.\n"
        )
    if not secrets:
        return header + "# No secret found in the tree (or on the host).\n"
    lines = [header.rstrip("\n")]
    for secret in secrets:
        lines += ["", "[[secrets.secret]]", f"name = {_toml(secret.name)}"]
        for place in secret.places:
            lines += ["", "[[secrets.secret.places]]"]
            if place.note:
                lines.append(f"# {place.note}")
            lines += [f"{key} = {_toml(value)}" for key, value in place.items]
    return "\n".join(lines) + "\n"


def _toml(value: Value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
