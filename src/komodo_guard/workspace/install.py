"""Komodo's own install files: how the tree configures Core, Periphery and the DB.

Komodo is installed with compose (``mongo.compose.yaml``,
``ferretdb.compose.yaml``, ``periphery.compose.yaml`` and ``compose.env``, or
any compose file running ``ghcr.io/moghtech/komodo-core`` /
``komodo-periphery``), optionally with ``core.config.toml`` /
``periphery.config.toml`` mounted under ``/config``. This collector finds those
files and resolves, for each Core, every setting the install rules look at from
all the places it can come from, in Komodo's and compose's order:

1. a config file mounted into the Core container (lowest);
2. each ``env_file`` of the service, later files winning;
3. the service's ``environment`` (highest); a ``*_FILE`` variant (Komodo reads
   the secret from that file) wins over the plain variable.

``${VAR}`` in the compose file (and in env files) is resolved from what compose
would interpolate with: ``compose.env`` beside the compose file (the documented
``--env-file``), the ``.env`` beside it, and the ``environment`` and env files
of every Stack of this tree that deploys it. A value that depends on something
outside the tree (a host env file, a Komodo ``[[VARIABLE]]``, the shell) is
unknown, never guessed.

Sources that configure Komodo without a Core service in the tree are read on
their own ("standalone"): ``compose.env`` files and ``*.env`` files beside a
Komodo compose file, Core-like ``config.toml`` / ``*.config.toml`` files (a
resource file with that name is not one), and Stacks whose ``environment``
sets Core settings. Rules check values there, but never report a setting as
missing from them.

Only candidates are read: compose files the compose collector already read,
env and TOML files by name. Values may be secrets: they stay in memory, and
``repr`` of every type here leaves them out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, TypeGuard

from komodo_guard.komodo.parsers import parse_string_list, read_env_block
from komodo_guard.workspace.compose import ComposeFile
from komodo_guard.workspace.compose_interpolation import find_interpolations
from komodo_guard.workspace.compose_stacks import tree_join
from komodo_guard.workspace.envfile import DotenvEntry, dotenv_entries
from komodo_guard.workspace.model import Resource
from komodo_guard.workspace.toml_file import TomlFile, parse_toml
from komodo_guard.workspace.walk import TreeListing, read_inside

MAX_INSTALL_BYTES = 1024 * 1024

_CORE_ENV_NAMES: dict[str, str] = {
    "KOMODO_HOST": "host",
    "KOMODO_JWT_SECRET": "jwt_secret",
    "KOMODO_WEBHOOK_SECRET": "webhook_secret",
    "KOMODO_INIT_ADMIN_PASSWORD": "init_admin_password",
    "KOMODO_PASSKEY": "passkey",
    "KOMODO_DATABASE_URI": "db_uri",
    "KOMODO_MONGO_URI": "db_uri",
    "KOMODO_DATABASE_USERNAME": "db_username",
    "KOMODO_MONGO_USERNAME": "db_username",
    "KOMODO_DATABASE_PASSWORD": "db_password",
    "KOMODO_MONGO_PASSWORD": "db_password",
    "KOMODO_UI_WRITE_DISABLED": "ui_write_disabled",
    "KOMODO_RESOURCE_POLL_INTERVAL": "resource_poll_interval",
    "KOMODO_LOCAL_AUTH": "local_auth",
    "KOMODO_DISABLE_USER_REGISTRATION": "disable_user_registration",
    "KOMODO_DISABLE_LOCAL_USER_REGISTRATION": "disable_local_user_registration",
    "KOMODO_ENABLE_NEW_USERS": "enable_new_users",
    "KOMODO_TRANSPARENT_MODE": "transparent_mode",
}
_FILE_VARIANTS = ("jwt_secret", "webhook_secret", "init_admin_password", "passkey")
_FILE_VARIANTS_DB = ("db_uri", "db_username", "db_password")

CORE_ENV: Mapping[str, str] = MappingProxyType(
    {
        **_CORE_ENV_NAMES,
        **{
            f"{env}_FILE": setting
            for env, setting in _CORE_ENV_NAMES.items()
            if setting in _FILE_VARIANTS + _FILE_VARIANTS_DB
        },
    }
)
"""Core environment variables the install rules read -> setting name."""

COMPOSE_VARIABLES: Mapping[str, str] = MappingProxyType(
    {"KOMODO_DB_USERNAME": "db_username", "KOMODO_DB_PASSWORD": "db_password"}
)
"""Variables of Komodo 1.x's ``compose.env`` that only the compose file reads
(it hands them to Core and the database): they count in standalone files."""

CONFIG_KEYS: Mapping[tuple[str, ...], str] = MappingProxyType(
    {
        **{
            (setting,): setting
            for setting in sorted(set(_CORE_ENV_NAMES.values()))
            if not setting.startswith("db_")
        },
        ("database", "uri"): "db_uri",
        ("database", "username"): "db_username",
        ("database", "password"): "db_password",
    }
)
"""Core config file keys -> setting name."""

DATABASE_ENV: Mapping[str, str] = MappingProxyType(
    {
        "MONGO_INITDB_ROOT_USERNAME": "init_username",
        "MONGO_INITDB_ROOT_USERNAME_FILE": "init_username",
        "MONGO_INITDB_ROOT_PASSWORD": "init_password",
        "MONGO_INITDB_ROOT_PASSWORD_FILE": "init_password",
        "POSTGRES_USER": "init_username",
        "POSTGRES_USER_FILE": "init_username",
        "POSTGRES_PASSWORD": "init_password",
        "POSTGRES_PASSWORD_FILE": "init_password",
        "FERRETDB_POSTGRESQL_URL": "url",
    }
)
"""Database container variables -> setting name."""

SECRET_SETTINGS = frozenset(
    {"jwt_secret", "webhook_secret", "init_admin_password", "passkey"}
    | {"db_uri", "db_password", "init_password", "url"}
)
"""Settings whose values are secrets."""

CORE_CONFIG_MARKERS = frozenset(
    {"host", "jwt_secret", "webhook_secret", "database", "local_auth"}
    | {"passkey", "first_server", "init_admin_username", "monitoring_interval"}
    | {"resource_poll_interval", "ui_write_disabled", "transparent_mode"}
)
"""Top-level keys that make a TOML file look like Core's config."""

CONFIG_MOUNT_DIR = "/config"
ENV_NAMES = ("compose.env",)
_RESOURCE_TABLES = frozenset(
    {"server", "stack", "deployment", "build", "repo", "procedure", "action"}
    | {"alerter", "builder", "resource_sync", "user_group", "variable", "swarm"}
)


class Place(NamedTuple):
    """A position in a file of the tree (1-based line and column)."""

    path: str
    line: int
    column: int


@dataclass(frozen=True)
class Setting:
    """One setting as Komodo (or the database) will see it.

    ``key`` is the variable or dotted config key as written at ``place``;
    ``value`` is what the container gets after interpolation, None when that
    depends on something outside the tree, and ``template`` the text written at
    ``place`` before interpolation. ``origin`` is where the value itself is
    written: the env-file line a ``${VAR}`` came from, else ``place``.
    ``from_file`` marks a ``*_FILE`` variant (the value is a file's content).
    """

    name: str
    key: str
    place: Place
    origin: Place
    value: str | None = field(default=None, repr=False)
    template: str | None = field(default=None, repr=False)
    from_file: bool = False


@dataclass(frozen=True)
class CoreInstall:
    """One Komodo Core as configured by the tree.

    ``service`` is None for a standalone source (an env file, a config file or
    a Stack's environment with no Core service in the tree); ``unknown`` names
    sources Core also reads that are not in the tree, ``files`` the env and
    config files of the tree it reads directly. Only a compose service
    with no unknown source is ``complete``: only then can a rule say a setting
    is not set.
    """

    label: str
    place: Place
    settings: Mapping[str, Setting]
    service: str | None = None
    compose_path: str | None = None
    unknown: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every source of this Core's settings is in the tree."""
        return self.service is not None and not self.unknown


@dataclass(frozen=True)
class EnvFileUse:
    """One ``env_file`` entry of a service: where it is written, the tree path
    it names (None when it is outside the tree or missing), and the Core
    secret variables that file defines with a value."""

    written: str
    place: Place
    path: str | None
    secret_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeripheryService:
    """A Komodo Periphery service of a compose file and the env files it gets."""

    label: str
    place: Place
    env_files: tuple[EnvFileUse, ...]


@dataclass(frozen=True)
class DatabaseService:
    """A Mongo, Postgres or FerretDB service beside a Core service, with its
    init credentials and connection URL."""

    label: str
    place: Place
    compose_path: str
    settings: Mapping[str, Setting]


@dataclass(frozen=True)
class InstallFiles:
    """Everything the tree says about how Komodo itself is installed."""

    cores: tuple[CoreInstall, ...] = ()
    peripheries: tuple[PeripheryService, ...] = ()
    databases: tuple[DatabaseService, ...] = ()

    def cores_of(self, compose_path: str) -> Iterator[CoreInstall]:
        """Core services of one compose file."""
        return (c for c in self.cores if c.compose_path == compose_path)


@dataclass(frozen=True)
class Resolved:
    """A variable's value (None when unknown) and where that value is written."""

    value: str | None = field(repr=False)
    origin: Place


def read_install_files(
    root: Path,
    listing: TreeListing,
    compose_files: Iterable[ComposeFile],
    resources: Iterable[Resource],
    toml_spec: str,
) -> InstallFiles:
    """Find and read Komodo's install files in the tree at ``root``."""
    reader = _Reader(root, listing, toml_spec)
    stacks = [r for r in resources if r.kind == "stack"]
    by_name: dict[str, list[Resource]] = {}
    for stack in stacks:
        by_name.setdefault(stack.name or "", []).append(stack)
    # A database service only matters beside Core, so only files running Core
    # or Periphery are Komodo's own.
    komodo_compose = [
        c
        for c in compose_files
        if any(r in ("core", "periphery") for *_, r in _roles(c))
    ]
    cores: list[CoreInstall] = []
    peripheries: list[PeripheryService] = []
    databases: list[DatabaseService] = []
    deployed: set[str] = set()
    for compose in komodo_compose:
        deployed.update(compose.stacks)
        env = _interpolation(compose, reader, by_name)
        for name, body, role in _roles(compose):
            service = _Service(compose, name, body, env, reader)
            if role == "core":
                cores.append(service.core())
            elif role == "periphery":
                peripheries.append(service.periphery())
            elif any(r == "core" for _, _, r in _roles(compose)):
                databases.append(service.database())
    cores.extend(_standalone(reader, cores, komodo_compose, stacks, deployed))
    return InstallFiles(tuple(cores), tuple(peripheries), tuple(databases))


def _roles(compose: ComposeFile) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """(service, body, role) of each Komodo or database service."""
    for name, body in compose.services():
        image = body.get("image")
        role = image_role(image) if isinstance(image, str) else None
        if role is not None:
            yield name, body, role


def image_role(image: str) -> str | None:
    """``core``, ``periphery``, ``database`` or None for an image reference."""
    repository = image.strip().split("@", 1)[0]
    last = repository.rsplit("/", 1)[-1].split(":", 1)[0].lower()
    owner = repository.rsplit("/", 2)[-2].lower() if repository.count("/") else ""
    if last == "komodo-core" or (owner == "mbecker20" and last == "komodo"):
        return "core"
    if last == "komodo-periphery" or (owner == "mbecker20" and last == "periphery"):
        return "periphery"
    if last in ("mongo", "postgres-documentdb", "ferretdb", "postgres"):
        return "database"
    return None


class _Reader:
    """Reads candidate files of the tree once each."""

    def __init__(self, root: Path, listing: TreeListing, toml_spec: str) -> None:
        self.root = root
        self.listing = listing
        self.toml_spec = toml_spec
        self.env_cache: dict[str, tuple[DotenvEntry, ...]] = {}
        self.toml_cache: dict[str, TomlFile | None] = {}

    def env(self, path: str) -> tuple[DotenvEntry, ...]:
        """The entries of an env file of the tree."""
        if path not in self.env_cache:
            raw = read_inside(self.root, path, MAX_INSTALL_BYTES)
            text = raw.decode("utf-8", errors="replace") if raw is not None else ""
            self.env_cache[path] = dotenv_entries(text)
        return self.env_cache[path]

    def toml(self, path: str) -> TomlFile | None:
        """The parsed TOML file, None when it cannot be read."""
        if path not in self.toml_cache:
            raw = read_inside(self.root, path, MAX_INSTALL_BYTES)
            self.toml_cache[path] = (
                parse_toml(path, raw, self.toml_spec) if raw is not None else None
            )
        return self.toml_cache[path]

    def exists(self, path: str | None) -> TypeGuard[str]:
        """True for a file of the tree."""
        return path is not None and path in self.listing.files


def _env_values(
    reader: _Reader, path: str, outer: Mapping[str, Resolved]
) -> dict[str, tuple[Resolved, Place, str | None]]:
    """key -> (resolved value, key place, template) for an env file, its
    ``${VAR}`` resolved from earlier entries, then from ``outer``."""
    seen: dict[str, tuple[Resolved, Place, str | None]] = {}
    for entry in reader.env(path):
        place = Place(path, entry.line, entry.column)
        lookup = {**outer, **{k: v for k, (v, _, _) in seen.items()}}
        value = entry.value
        resolved = (
            expand(value, lookup, place)
            if entry.expands and value is not None
            else Resolved(value, place)
        )
        seen[entry.key] = (resolved or Resolved(None, place), place, value)
    return seen


def expand(text: str, env: Mapping[str, Resolved], place: Place) -> Resolved | None:
    """``text`` with compose's ``${VAR}`` replaced from ``env``; None when a
    variable is not known. The origin is the variable's when ``text`` is just
    that one variable, else ``place``."""
    uses = find_interpolations(text)
    pieces: list[str] = []
    cursor = 0
    for use in uses:
        end = _use_end(text, use.offset, use.written)
        value = _substitute(text[use.offset : end], env.get(use.name))
        if value is None:
            return None
        pieces.append(text[cursor : use.offset].replace("$$", "$"))
        pieces.append(value)
        cursor = end
    pieces.append(text[cursor:].replace("$$", "$"))
    whole = len(uses) == 1 and uses[0].offset == 0 and cursor == len(text)
    known = env.get(uses[0].name) if whole else None
    return Resolved("".join(pieces), known.origin if known else place)


def _use_end(text: str, offset: int, written: str) -> int:
    """The offset just past one interpolation (past the ``}`` of ``${...}``)."""
    if not written.startswith("${"):
        return offset + len(written)
    depth = 0
    for index in range(offset, len(text)):
        if text.startswith("${", index):
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(text)


def _substitute(written: str, known: Resolved | None) -> str | None:
    """The text compose puts for one ``${NAME[op word]}``, None if unknown."""
    value = known.value if known is not None else None
    body = written[2:-1] if written.startswith("${") else ""
    for operator in (":-", "-", ":+", "+", ":?", "?"):
        name, found, word = body.partition(operator)
        if found and "$" not in word and name.isidentifier():
            return _operator(operator, value, known is not None, word)
    return value


def _operator(operator: str, value: str | None, defined: bool, word: str) -> str | None:
    if value is None:
        return None
    empty = value == "" if ":" in operator else not defined
    if operator.endswith("-"):
        return word if empty else value
    if operator.endswith("+"):
        return "" if empty else word
    return value


def _interpolation(
    compose: ComposeFile, reader: _Reader, stacks: Mapping[str, list[Resource]]
) -> dict[str, Resolved]:
    """What compose can interpolate this file with, lowest priority first."""
    env: dict[str, Resolved] = {}
    for name in (*ENV_NAMES, ".env"):
        path = posixpath.join(compose.folder, name) if compose.folder else name
        if reader.exists(path):
            env.update({k: v for k, (v, _, _) in _env_values(reader, path, {}).items()})
    for deployment in compose.deployments:
        for stack in stacks.get(deployment.stack, []):
            for path in _stack_env_files(stack, deployment.run_directory, reader):
                values = _env_values(reader, path, {})
                env.update({k: v for k, (v, _, _) in values.items()})
            env.update({k: v for k, (v, _, _) in stack_environment(stack).items()})
    return env


def _stack_env_files(
    stack: Resource, run_directory: str, reader: _Reader
) -> Iterator[str]:
    value = stack.config.get("additional_env_files")
    entries = parse_string_list(value) if isinstance(value, str) else value
    for entry in entries if isinstance(entries, list) else []:
        written = entry.get("path") if isinstance(entry, Mapping) else entry
        if isinstance(written, str) and written.strip():
            path = tree_join(run_directory, written)
            if reader.exists(path):
                yield path


def stack_environment(stack: Resource) -> dict[str, tuple[Resolved, Place, str]]:
    """key -> (value, place, template) of a Stack's ``environment`` block; a
    value using a Komodo ``[[VARIABLE]]`` is unknown."""
    text = stack.config.get("environment")
    if not isinstance(text, str):
        return {}
    start, column, multiline = _block_start(stack)
    raw_lines = text.split("\n")
    found: dict[str, tuple[Resolved, Place, str]] = {}
    for line in read_env_block(text)[0]:
        raw = raw_lines[line.line_offset]
        key_column = raw.find(line.key) + 1
        if multiline and not (line.line_offset == 0 and column > 1):
            place = Place(stack.file.path, start + line.line_offset, key_column)
        else:
            place = Place(stack.file.path, start, column + key_column - 1)
        value = None if "[[" in line.value else line.value
        found[line.key] = (Resolved(value, place), place, line.value)
    return found


def _block_start(stack: Resource) -> tuple[int, int, bool]:
    """(line, column) of an environment block's first character, and whether
    its lines map one to one onto file lines."""
    file = stack.file
    span = file.spans.get((*stack.path, "config", "environment"))
    if span is None:
        line, column = stack.position("config", "environment", value=True)
        return line, column, False
    opening = file.line_text(span.value_line)[span.value_column - 1 :]
    if opening.startswith(('"""', "'''")):
        if opening[3:].strip() == "":
            return span.value_line + 1, 1, True
        return span.value_line, span.value_column + 3, True
    return span.value_line, span.value_column + 1, False


class _Service:
    """One service of a Komodo compose file, resolved."""

    def __init__(
        self,
        compose: ComposeFile,
        name: str,
        body: Mapping[str, Any],
        env: Mapping[str, Resolved],
        reader: _Reader,
    ) -> None:
        self.compose = compose
        self.name = name
        self.body = body
        self.env = env
        self.reader = reader
        line, column = compose.position(("services", name))
        self.place = Place(compose.path, line, column)
        self.label = f"service `{name}` of `{compose.path}`"

    def core(self) -> CoreInstall:
        """This service read as a Komodo Core."""
        layers: list[list[Setting]] = []
        files: list[str] = []
        unknown = list(self._config_layers(layers, files))
        env_layers, missing = self._env_file_layers(CORE_ENV)
        unknown.extend(missing)
        layers.extend(env_layers)
        layers.append(list(self._environment(CORE_ENV)))
        files.extend(path for _, path, _ in self._env_file_entries() if path)
        return CoreInstall(
            self.label,
            self.place,
            effective(layers),
            self.name,
            self.compose.path,
            tuple(unknown),
            tuple(files),
        )

    def periphery(self) -> PeripheryService:
        """This service read as a Komodo Periphery."""
        uses = []
        for written, path, place in self._env_file_entries():
            keys: tuple[str, ...] = ()
            if path is not None:
                keys = tuple(
                    entry.key
                    for entry in self.reader.env(path)
                    if _secret_variable(entry.key) and entry.value
                )
            uses.append(EnvFileUse(written, place, path, keys))
        return PeripheryService(self.label, self.place, tuple(uses))

    def database(self) -> DatabaseService:
        """This service read as Komodo's database."""
        layers, _ = self._env_file_layers(DATABASE_ENV)
        layers.append(list(self._environment(DATABASE_ENV)))
        return DatabaseService(
            self.label, self.place, self.compose.path, effective(layers)
        )

    def _config_layers(
        self, layers: list[list[Setting]], files: list[str]
    ) -> Iterator[str]:
        """Append the settings (and paths) of config files mounted under
        /config; yield the mounts whose files are not in the tree."""
        for source, target in _mounts(self.body.get("volumes")):
            if not _is_config_target(target):
                continue
            path = tree_join(self.compose.folder, source) if source[:1] == "." else None
            file = self.reader.toml(path) if self.reader.exists(path) else None
            if file is None or file.data is None:
                yield f"`{source}` (mounted at `{target}`, not in this tree)"
            else:
                layers.append(list(config_settings(file)))
                files.append(file.path)

    def _env_file_entries(self) -> Iterator[tuple[str, str | None, Place]]:
        value = self.body.get("env_file")
        entries = [value] if isinstance(value, str | Mapping) else value
        if not isinstance(entries, list):
            return
        for index, entry in enumerate(entries):
            written = entry.get("path") if isinstance(entry, Mapping) else entry
            if not isinstance(written, str):
                continue
            key: tuple[str | int, ...] = ("services", self.name, "env_file")
            if isinstance(value, list):
                key = (*key, index)
            line, column = self.compose.position(key, value=True)
            path = tree_join(self.compose.folder, written)
            found = path if self.reader.exists(path) else None
            yield written, found, Place(self.compose.path, line, column)

    def _env_file_layers(
        self, names: Mapping[str, str]
    ) -> tuple[list[list[Setting]], list[str]]:
        layers: list[list[Setting]] = []
        missing: list[str] = []
        for written, path, _ in self._env_file_entries():
            if path is None:
                missing.append(f"`{written}` (env_file not in this tree)")
                continue
            values = _env_values(self.reader, path, self.env)
            layers.append(
                [
                    _setting(names[key], key, place, resolved, template)
                    for key, (resolved, place, template) in values.items()
                    if key in names
                ]
            )
        return layers, missing

    def _environment(self, names: Mapping[str, str]) -> Iterator[Setting]:
        base = ("services", self.name, "environment")
        for key, text, path in _environment_entries(self.body.get("environment")):
            if key not in names:
                continue
            line, column = self.compose.position((*base, *path))
            place = Place(self.compose.path, line, column)
            resolved = expand(text, self.env, place) if text is not None else None
            yield _setting(names[key], key, place, resolved, text)


def _setting(
    name: str, key: str, place: Place, resolved: Resolved | None, template: str | None
) -> Setting:
    value = resolved.value if resolved is not None else None
    origin = resolved.origin if resolved is not None else place
    return Setting(name, key, place, origin, value, template, key.endswith("_FILE"))


def effective(layers: Sequence[Sequence[Setting]]) -> Mapping[str, Setting]:
    """The setting that wins per name: the last ``*_FILE`` variant if any,
    else the last plain one (later layers and later lines win)."""
    plain: dict[str, Setting] = {}
    files: dict[str, Setting] = {}
    for layer in layers:
        for setting in layer:
            (files if setting.from_file else plain)[setting.name] = setting
    return MappingProxyType({**plain, **files})


def _environment_entries(
    value: Any,
) -> Iterator[tuple[str, str | None, tuple[Any, ...]]]:
    """(key, text or None when taken from the shell, key path) per entry."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key), _scalar(item), (key,)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                key, sign, text = item.partition("=")
                yield key.strip(), text if sign else None, (index,)


def _scalar(item: Any) -> str | None:
    if item is None:
        return None
    if isinstance(item, bool):
        return "true" if item else "false"
    return str(item)


def _mounts(value: Any) -> Iterator[tuple[str, str]]:
    """(source, target) of each volume entry."""
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, str) and ":" in entry and "${" not in entry:
            source, target = entry.split(":")[:2]
            yield source, target
        elif isinstance(entry, Mapping):
            written, inside = entry.get("source"), entry.get("target")
            if isinstance(written, str) and isinstance(inside, str):
                yield written, inside


def _is_config_target(target: str) -> bool:
    clean = posixpath.normpath(target)
    return clean.startswith(f"{CONFIG_MOUNT_DIR}/") and clean.endswith(".toml")


def config_settings(file: TomlFile) -> Iterator[Setting]:
    """The Core settings a config file sets."""
    for keys, name in CONFIG_KEYS.items():
        value: Any = file.data
        for key in keys:
            value = value.get(key) if isinstance(value, Mapping) else None
        if value is None or isinstance(value, Mapping | list):
            continue
        line, column = file.position(keys)
        place = Place(file.path, line, column)
        text = _scalar(value)
        yield Setting(name, ".".join(keys), place, place, text, text)


def looks_like_core_config(file: TomlFile) -> bool:
    """A TOML file with Core config keys and no Komodo resource tables."""
    data = file.data or {}
    keys = set(data)
    return bool(keys & CORE_CONFIG_MARKERS) and not keys & _RESOURCE_TABLES


def _secret_variable(key: str) -> bool:
    setting = CORE_ENV.get(key) or COMPOSE_VARIABLES.get(key)
    return setting in SECRET_SETTINGS and not key.endswith("_FILE")


def _standalone(
    reader: _Reader,
    cores: Sequence[CoreInstall],
    komodo_compose: Sequence[ComposeFile],
    stacks: Sequence[Resource],
    deployed: set[str],
) -> Iterator[CoreInstall]:
    used = {path for core in cores for path in core.files}
    for path in _standalone_env_paths(reader.listing, komodo_compose):
        if path not in used:
            yield from _env_install(reader, path)
    for path in sorted(reader.listing.files):
        if path not in used and _config_name(path):
            file = reader.toml(path)
            if file is not None and file.data and looks_like_core_config(file):
                settings = {s.name: s for s in config_settings(file)}
                yield CoreInstall(f"`{path}`", Place(path, 1, 1), settings)
    for stack in stacks:
        if stack.name not in deployed:
            yield from _stack_install(stack)


def _sets_any(stack: Resource, names: Mapping[str, object]) -> bool:
    """True when the Stack's ``environment`` sets one of ``names``: only then
    are its positions worth looking up (most stacks set none)."""
    text = stack.config.get("environment")
    return isinstance(text, str) and any(
        line.key in names for line in read_env_block(text)[0]
    )


def _standalone_env_paths(
    listing: TreeListing, komodo_compose: Sequence[ComposeFile]
) -> list[str]:
    folders = {compose.folder for compose in komodo_compose}
    return sorted(
        path
        for path in listing.files
        if posixpath.basename(path) in ENV_NAMES
        or (path.endswith(".env") and posixpath.dirname(path) in folders)
    )


def _config_name(path: str) -> bool:
    name = posixpath.basename(path)
    return name == "config.toml" or name.endswith(".config.toml")


def _env_install(reader: _Reader, path: str) -> Iterator[CoreInstall]:
    names = {**COMPOSE_VARIABLES, **CORE_ENV}
    values = _env_values(reader, path, {})
    settings = effective(
        [
            [
                _setting(names[key], key, place, resolved, template)
                for key, (resolved, place, template) in values.items()
                if key in names
            ]
        ]
    )
    if settings:
        yield CoreInstall(f"`{path}`", Place(path, 1, 1), settings)


def _stack_install(stack: Resource) -> Iterator[CoreInstall]:
    names = {**COMPOSE_VARIABLES, **CORE_ENV}
    if not _sets_any(stack, names):
        return
    found = stack_environment(stack)
    settings = effective(
        [
            [
                _setting(names[key], key, place, resolved, template)
                for key, (resolved, place, template) in found.items()
                if key in names
            ]
        ]
    )
    if settings:
        line, column = stack.position("config", "environment")
        label = f"the environment of stack {stack.name!r}"
        yield CoreInstall(label, Place(stack.file.path, line, column), settings)
