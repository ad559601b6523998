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

    [watch]                          # komodo-guard watch (docs/watch.md)
    interval = "5m"
    state_dir = "/var/lib/komodo-guard"
    heartbeat = "env:KOMODO_GUARD_HEARTBEAT_URL"

    [[notify.channel]]               # where watch sends alerts
    type = "ntfy"
    url = "https://ntfy.example.net/komodo"

    [hosts]
    inventory = "inventory.ini"      # hosts host-not-a-server compares with Core
    periphery_root = "/etc/komodo"   # this host, for `host` and [watch] host
    docker_socket = "/var/run/docker.sock"

``[tree] folders`` maps a Repo resource name (as ``linked_repo`` names it) or a
git ``owner/name`` to the folder of this tree that holds its files. ``[komodo]
url`` is the Komodo Core the live commands read (``--komodo`` wins over it,
``KOMODO_URL`` stands in when neither is given); the API key and secret are
never read from this file, only from ``KOMODO_API_KEY`` / ``KOMODO_API_SECRET``.
``[watch]`` and ``[[notify.channel]]`` configure ``komodo-guard watch``
(:class:`WatchConfig`; every channel table is checked by the notify package,
so its errors name the table's index and key). ``[hosts]`` names the
operator's host inventory and, for the host checks (``host``, and ``watch``
with ``[watch] host = true``), where Periphery's root and the Docker socket
are on this host; ``--inventory``, ``--root`` and ``--docker-socket`` win
over them. The JSON
schema ``schema/komodo-guard.schema.json`` describes the same keys for editors;
the tests keep the two in agreement.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from komodo_guard.rules.interface import Severity
from komodo_guard.workspace.model import normalize_repo
from komodo_guard.workspace.toml_file import TomlFile, parse_toml

if TYPE_CHECKING:
    from komodo_guard.notify.interface import Channel
    from komodo_guard.secrets.secretmap import SecretMap
    from komodo_guard.watch.maintenance import Window

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
        (): (
            "komodo_version",
            "fail_on",
            "rules",
            "known",
            "tree",
            "komodo",
            "watch",
            "notify",
            "hosts",
            "secrets",
        ),
        ("rules",): ("disable", "severity"),
        ("known",): ("servers", "repos", "variables", *KNOWN_KINDS),
        ("tree",): ("repos", "folders"),
        ("komodo",): ("url",),
        ("hosts",): ("inventory", "inventory_kind", "periphery_root", "docker_socket"),
        ("watch",): (
            "interval",
            "cycle_timeout",
            "state_dir",
            "listen",
            "status_token",
            "heartbeat",
            "heartbeat_timeout",
            "resolve_after",
            "cannot_check_after",
            "host",
            "lint",
            "reminders",
            "flapping",
            "maintenance",
        ),
        ("watch", "reminders"): SEVERITY_WORDS,
        ("watch", "flapping"): ("limit", "window", "stable_after"),
        ("notify",): ("channel",),
    }
)
MAINTENANCE_KEYS = ("days", "start", "end", "timezone")
"""Keys of one ``[[watch.maintenance]]`` table."""
ENV_PREFIX = "env:"
DEFAULT_LISTEN = ("127.0.0.1", 9718)

_VERSION = re.compile(r"v?[0-9]+\.[0-9]+(\.[0-9]+)?")
_GIT_REPO = re.compile(r"[^\s/:@]+(/[^\s/:@]+)+")
_RESOURCE_NAME = re.compile(r"[^\s/]+")
_RULE_KEY = re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*")
_CORE_URL = re.compile(r"https?://[^\s/@]+(/[^\s@]*)?")
_DURATION = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?(?:ms|[smhd]))+")
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|[smhd])")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_LISTEN = re.compile(
    r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^\s:\[\]]+)):(?P<port>[0-9]+)"
)
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")

Keys = tuple[str | int, ...]


class ConfigError(Exception):
    """The configuration file is unreadable or holds a wrong value."""


def parse_duration(text: str) -> timedelta:
    """``"5m"``, ``"1h30m"``, ``"90s"``, ``"2d"``, ``"500ms"``: a positive span.

    Raises ``ValueError`` for anything else.
    """
    compact = text.strip()
    if not _DURATION.fullmatch(compact):
        raise ValueError(f"{text!r} is not a duration such as 30s, 5m, 1h30m or 2d")
    seconds = sum(
        float(number) * _UNIT[unit] for number, unit in _DURATION_PART.findall(compact)
    )
    if seconds <= 0:
        raise ValueError(f"{text!r} is not a positive duration")
    return timedelta(seconds=seconds)


def parse_listen(text: str) -> tuple[str, int]:
    """``"127.0.0.1:9718"`` or ``"[::1]:9718"`` as (address, port).

    Raises ``ValueError`` for anything else.
    """
    found = _LISTEN.fullmatch(text.strip())
    if found is None or not 0 <= int(found["port"]) <= 65535:
        raise ValueError(
            f"{text!r} is not ADDRESS:PORT such as 127.0.0.1:9718 or [::1]:9718"
        )
    return (found["v6"] or found["host"], int(found["port"]))


@dataclass(frozen=True)
class WatchConfig:
    """``[watch]``: how ``komodo-guard watch`` runs, with its defaults.

    ``state_dir`` is as written (relative to the config file's folder;
    ``None`` is that folder). ``listen`` is ``None`` when the status server
    is off. ``status_token`` is the name of the environment variable holding
    the token; ``heartbeat`` the URL or an ``env:VAR`` reference, as written.
    ``reminders`` maps a severity word to its interval (``None``: never).
    """

    interval: timedelta = timedelta(minutes=5)
    cycle_timeout: timedelta = timedelta(minutes=4)
    state_dir: str | None = None
    listen: tuple[str, int] | None = DEFAULT_LISTEN
    status_token: str | None = None
    heartbeat: str | None = None
    heartbeat_timeout: timedelta = timedelta(seconds=10)
    resolve_after: int = 2
    cannot_check_after: int = 3
    host: bool = False
    lint: str | None = None
    reminders: Mapping[str, timedelta | None] = field(
        default_factory=lambda: MappingProxyType(
            {"error": timedelta(hours=4), "warning": timedelta(hours=24), "info": None}
        )
    )
    flap_limit: int = 3
    flap_window: timedelta = timedelta(hours=6)
    stable_after: timedelta = timedelta(hours=1)
    maintenance: tuple[Window, ...] = ()


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
    watch: WatchConfig = field(default_factory=WatchConfig)
    """``[watch]``: the settings of ``komodo-guard watch``."""
    channels: tuple[Channel, ...] = ()
    """``[[notify.channel]]``: where ``watch`` and ``notify test`` send alerts."""
    inventory: Path | None = None
    """``[hosts] inventory``: the operator's list of hosts (resolved against
    the config file's folder), which ``host-not-a-server`` compares with Core."""
    inventory_kind: str | None = None
    """``[hosts] inventory_kind``: list, ansible-ini, ansible-yaml or
    ssh-config; guessed from the file when absent."""
    periphery_root: Path | None = None
    """``[hosts] periphery_root``: Periphery's root directory on this host
    (resolved against the config file's folder), for ``host`` and the host
    checks of ``watch``; ``--root`` wins."""
    docker_socket: str | None = None
    """``[hosts] docker_socket``: the Docker Engine's Unix socket path on this
    host, for the same checks; ``--docker-socket`` wins."""
    secret_map: SecretMap | None = None
    """``[secrets]``: where each secret lives (``secrets check``); None when
    the file has no such table."""


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
            watch=self.watch(tables),
            channels=self.channels(tables[("notify",)]),
            secret_map=self.secret_map(data),
            inventory=self.inventory(tables[("hosts",)]),
            inventory_kind=self.inventory_kind(tables[("hosts",)]),
            periphery_root=self.periphery_root(tables[("hosts",)]),
            docker_socket=self.docker_socket(tables[("hosts",)]),
        )

    def inventory(self, hosts: Mapping[str, Any]) -> Path | None:
        """``[hosts] inventory``: a file path, relative to the config file."""
        value = hosts.get("inventory")
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(("hosts", "inventory"), "must be the path of a file")
        return Path(self._file.path).parent / value

    def inventory_kind(self, hosts: Mapping[str, Any]) -> str | None:
        """``[hosts] inventory_kind``: one of the inventory formats."""
        value = hosts.get("inventory_kind")
        kinds = ("list", "ansible-ini", "ansible-yaml", "ssh-config")
        if value is None:
            return None
        if value not in kinds:
            raise self.fail(
                ("hosts", "inventory_kind"), f"must be one of {', '.join(kinds)}"
            )
        return str(value)

    def periphery_root(self, hosts: Mapping[str, Any]) -> Path | None:
        """``[hosts] periphery_root``: a folder, relative to the config file."""
        value = hosts.get("periphery_root")
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(
                ("hosts", "periphery_root"),
                "must be the path of Periphery's root directory, such as "
                '"/etc/komodo"',
            )
        return Path(self._file.path).parent / value

    def docker_socket(self, hosts: Mapping[str, Any]) -> str | None:
        """``[hosts] docker_socket``: an absolute Unix socket path, bare or as a
        ``unix://`` address."""
        value = hosts.get("docker_socket")
        if value is None:
            return None
        path = value.removeprefix("unix://") if isinstance(value, str) else ""
        if not path.startswith("/"):
            raise self.fail(
                ("hosts", "docker_socket"),
                "must be the absolute path of the Docker Engine's Unix socket, "
                'such as "/var/run/docker.sock" or "unix:///run/docker.sock"',
            )
        return path

    def secret_map(self, data: Mapping[str, Any]) -> SecretMap | None:
        """The ``[secrets]`` table, checked by the secrets package (imported
        only when the file has one: it brings the places' clients)."""
        if "secrets" not in data:
            return None
        from komodo_guard.secrets.places.interface import MapError
        from komodo_guard.secrets.secretmap import read_secret_map

        try:
            return read_secret_map(
                self._file, data, self._prefix, Path(self._file.path).parent
            )
        except MapError as error:
            raise ConfigError(str(error)) from error

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

    def watch(self, tables: Mapping[tuple[str, ...], Mapping[str, Any]]) -> WatchConfig:
        """``[watch]`` and its sub-tables, each value checked."""
        data = tables[("watch",)]
        if not data:
            return WatchConfig()
        defaults = WatchConfig()
        flapping = tables[("watch", "flapping")]
        return WatchConfig(
            interval=self.duration(data, ("watch", "interval"), defaults.interval),
            cycle_timeout=self.duration(
                data, ("watch", "cycle_timeout"), defaults.cycle_timeout
            ),
            state_dir=self.path_text(data, ("watch", "state_dir")),
            listen=self.listen(data.get("listen", True)),
            status_token=self.env_name(data, ("watch", "status_token")),
            heartbeat=self.heartbeat(data.get("heartbeat")),
            heartbeat_timeout=self.duration(
                data, ("watch", "heartbeat_timeout"), defaults.heartbeat_timeout
            ),
            resolve_after=self.count(data, ("watch", "resolve_after"), 2),
            cannot_check_after=self.count(data, ("watch", "cannot_check_after"), 3),
            host=self.flag(data, ("watch", "host"), default=False),
            lint=self.path_text(data, ("watch", "lint")),
            reminders=MappingProxyType(
                self.reminders(tables[("watch", "reminders")], defaults.reminders)
            ),
            flap_limit=self.count(flapping, ("watch", "flapping", "limit"), 3),
            flap_window=self.duration(
                flapping, ("watch", "flapping", "window"), defaults.flap_window
            ),
            stable_after=self.duration(
                flapping,
                ("watch", "flapping", "stable_after"),
                defaults.stable_after,
            ),
            maintenance=self.windows(data.get("maintenance", [])),
        )

    def duration(
        self, data: Mapping[str, Any], keys: tuple[str, ...], default: timedelta
    ) -> timedelta:
        """A duration string (``"5m"``) or a positive number of seconds."""
        value = data.get(keys[-1])
        if value is None:
            return default
        expected = 'must be a duration such as "30s", "5m", "1h30m" or "2d"'
        if isinstance(value, bool):
            raise self.fail(keys, expected)
        if isinstance(value, int | float):
            if value <= 0:
                raise self.fail(keys, f"{expected}, or a positive number of seconds")
            return timedelta(seconds=value)
        if not isinstance(value, str):
            raise self.fail(keys, expected)
        try:
            return parse_duration(value)
        except ValueError:
            raise self.fail(keys, expected) from None

    def count(
        self, data: Mapping[str, Any], keys: tuple[str, ...], default: int
    ) -> int:
        value = data.get(keys[-1], default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(keys, "must be a whole number, 1 or more")
        return value

    def flag(
        self, data: Mapping[str, Any], keys: tuple[str, ...], *, default: bool
    ) -> bool:
        value = data.get(keys[-1], default)
        if not isinstance(value, bool):
            raise self.fail(keys, "must be true or false")
        return value

    def path_text(self, data: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
        value = data.get(keys[-1])
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(keys, "must be a folder path (relative to this file's)")
        return value

    def listen(self, value: object) -> tuple[str, int] | None:
        """``"127.0.0.1:9718"``, ``"[::1]:9718"``, ``true`` (the default) or
        ``false`` (no status server)."""
        if value is True:
            return DEFAULT_LISTEN
        if value is False:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return parse_listen(value)
        except ValueError:
            raise self.fail(
                ("watch", "listen"),
                'must be "ADDRESS:PORT" such as "127.0.0.1:9718" or "[::1]:9718", '
                "or false to turn the status server off",
            ) from None

    def env_name(self, data: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
        """``"env:VAR"``: the name of the variable holding a secret."""
        value = data.get(keys[-1])
        if value is None:
            return None
        variable = value.removeprefix(ENV_PREFIX) if isinstance(value, str) else ""
        if not value.startswith(ENV_PREFIX) or not _ENV_NAME.fullmatch(variable):
            raise self.fail(
                keys,
                'must be "env:VARIABLE", the environment variable holding the '
                "token (the token itself does not belong in this file)",
            )
        return variable

    def heartbeat(self, value: object) -> str | None:
        """A heartbeat URL (http or https) or ``"env:VAR"`` holding one."""
        if value is None:
            return None
        expected = (
            'must be the heartbeat URL ("https://hc-ping.com/<uuid>") or '
            '"env:VARIABLE" holding it'
        )
        if not isinstance(value, str):
            raise self.fail(("watch", "heartbeat"), expected)
        if value.startswith(ENV_PREFIX):
            if not _ENV_NAME.fullmatch(value.removeprefix(ENV_PREFIX)):
                raise self.fail(("watch", "heartbeat"), expected)
            return value
        if not value.startswith(("http://", "https://")) or " " in value:
            raise self.fail(("watch", "heartbeat"), expected)
        return value

    def reminders(
        self, table: Mapping[str, Any], defaults: Mapping[str, timedelta | None]
    ) -> dict[str, timedelta | None]:
        """``[watch.reminders]``: a duration per severity, or ``"off"``."""
        result = dict(defaults)
        for word in SEVERITY_WORDS:
            keys = ("watch", "reminders", word)
            if table.get(word) == "off":
                result[word] = None
            elif word in table:
                result[word] = self.duration(table, keys, timedelta(0))
        return result

    def windows(self, value: object) -> tuple[Window, ...]:
        """``[[watch.maintenance]]``: weekly (``days``) or fixed windows."""
        if not isinstance(value, list) or not all(
            isinstance(item, Mapping) for item in value
        ):
            raise self.fail(
                ("watch", "maintenance"),
                "must be an array of tables [[watch.maintenance]]",
            )
        return tuple(self.window(index, item) for index, item in enumerate(value))

    def window(self, index: int, table: Mapping[str, Any]) -> Window:
        from komodo_guard.watch.maintenance import WeeklyWindow, weekdays

        keys: tuple[str | int, ...] = ("watch", "maintenance", index)
        for key in table:
            if key not in MAINTENANCE_KEYS:
                raise self.fail(
                    (*keys, key),
                    f"is not a key of [[watch.maintenance]]"
                    f"{did_you_mean(key, MAINTENANCE_KEYS)} "
                    f"(allowed: {', '.join(MAINTENANCE_KEYS)})",
                )
        for key in ("start", "end"):
            if key not in table:
                raise self.fail(keys, f"needs `{key}`")
        if "days" not in table:
            return self.fixed_window(keys, table)
        days = table["days"]
        if not isinstance(days, list) or not all(isinstance(d, str) for d in days):
            raise self.fail((*keys, "days"), 'must be an array such as ["sat", "sun"]')
        try:
            return WeeklyWindow(
                weekdays(days),
                self.clock(table["start"], (*keys, "start")),
                self.clock(table["end"], (*keys, "end")),
                self.zone(table.get("timezone", "UTC"), (*keys, "timezone")),
            )
        except ValueError as error:
            raise self.fail((*keys, "days"), str(error)) from None

    def fixed_window(self, keys: Keys, table: Mapping[str, Any]) -> Window:
        from komodo_guard.watch.maintenance import FixedWindow

        start, end = table["start"], table["end"]
        if "timezone" in table:
            raise self.fail(
                (*keys, "timezone"),
                "belongs to weekly windows (with `days`); a one-off window's "
                "start and end carry their offset",
            )
        if isinstance(start, str):
            start = _moment(start)
        if isinstance(end, str):
            end = _moment(end)
        for key, value in (("start", start), ("end", end)):
            if not isinstance(value, datetime) or value.tzinfo is None:
                raise self.fail(
                    (*keys, key),
                    "must be a date and time with its offset, such as "
                    '2026-12-01T02:00:00Z or "2026-12-01T02:00:00+01:00" (or give '
                    "`days` for a weekly window)",
                )
        try:
            return FixedWindow(start, end)
        except ValueError as error:
            raise self.fail((*keys, "end"), str(error)) from None

    def clock(self, value: object, keys: Keys) -> time:
        """A local time of day: ``"02:00"`` or a TOML local time ``02:00:00``."""
        if isinstance(value, time) and value.tzinfo is None:
            return value
        found = _CLOCK.fullmatch(value) if isinstance(value, str) else None
        if found is None:
            raise self.fail(keys, 'must be a time of day such as "02:00"')
        return time(int(found[1]), int(found[2]))

    def zone(self, value: object, keys: Keys) -> Any:
        """An IANA time zone such as ``"Europe/Berlin"``."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        expected = 'must be a time zone such as "UTC" or "Europe/Berlin"'
        if not isinstance(value, str) or not value or ".." in value:
            raise self.fail(keys, expected)
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail(keys, expected) from None

    def channels(self, notify: Mapping[str, Any]) -> tuple[Channel, ...]:
        """``[[notify.channel]]``, checked by the notify package; its error
        names the table's index and key, this one adds file and line."""
        tables = notify.get("channel")
        if tables is None:
            return ()
        if not isinstance(tables, list):
            raise self.fail(
                ("notify", "channel"), "must be an array of tables [[notify.channel]]"
            )
        from komodo_guard.notify.channels import parse_channels
        from komodo_guard.notify.interface import NotifyConfigError

        try:
            return parse_channels(tables)
        except NotifyConfigError as error:
            keys: Keys = ("notify", "channel")
            if error.index is not None:
                keys = (*keys, error.index)
                if error.key is not None:
                    keys = (*keys, error.key)
            line, column = self._file.position((*self._prefix, *keys))
            raise ConfigError(f"{self._file.path}:{line}:{column}: {error}") from None

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


def _moment(text: str) -> datetime | None:
    """A date and time written as an ISO 8601 string, else ``None``."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _dotted(keys: Keys) -> str:
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def _table_name(keys: tuple[str, ...]) -> str:
    return f"in [{'.'.join(keys)}]" if keys else "at the top level"
