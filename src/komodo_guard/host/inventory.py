"""Read the operator's list of hosts: a plain list, an Ansible inventory, or SSH config.

Four shapes are understood, each parsed from text alone:

- ``list``: one host per line, ``name`` or ``name address``; ``#`` starts a
  comment.
- ``ansible-ini``: Ansible's INI inventory. Host lines before any section and
  under ``[group]`` sections are hosts; ``[group:vars]`` and
  ``[group:children]`` sections hold variables and group names, never hosts.
  ``ansible_host=`` (or the older ``ansible_ssh_host=``) is the address; a
  ``host:port`` suffix is dropped; ranges such as ``web[01:03].lan`` or
  ``db-[a:c]`` are expanded as Ansible does.
- ``ansible-yaml``: Ansible's YAML inventory, groups nesting through
  ``hosts:`` and ``children:``, with ``ansible_host`` among a host's variables.
- ``ssh-config``: the names of ``Host`` lines, with ``HostName`` as the
  address. Names with the patterns ``*``, ``?`` or ``!`` are skipped and
  ``Include`` is not followed; both are told in :attr:`Inventory.notes`.

A host listed twice (in two groups, say) is kept once, at its first line.
Anything unreadable raises :class:`InventoryError` naming ``file:line``.
"""

from __future__ import annotations

import enum
import ipaddress
import re
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# PyYAML ships no type information; see workspace/yaml_positions.py.
import yaml


class InventoryError(ValueError):
    """An inventory that cannot be read, with ``file:line`` and the expectation."""


class InventoryKind(enum.StrEnum):
    """The shapes :func:`read_inventory` understands."""

    LIST = "list"
    ANSIBLE_INI = "ansible-ini"
    ANSIBLE_YAML = "ansible-yaml"
    SSH_CONFIG = "ssh-config"


@dataclass(frozen=True)
class InventoryHost:
    """One host: its name, its address when the inventory gives one, and the
    1-based line (in the file ``path``) that lists it."""

    name: str
    address: str
    source_line: int
    path: str = ""


@dataclass(frozen=True)
class Inventory:
    """The hosts of one file, and what was left out on purpose, in words."""

    hosts: tuple[InventoryHost, ...]
    notes: tuple[str, ...] = ()


_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_ADDRESS = re.compile(r"^[A-Za-z0-9_.:%\[\]-]+$")
_RANGE = re.compile(r"\[([^\]]*)\]")
_SECTION = re.compile(r"^\[([^\]]+)\]\s*(?:[#;].*)?$")
_PORT = re.compile(r"^([^:\[\]]+):\d+$")
_ADDRESS_VARS = ("ansible_host", "ansible_ssh_host")
_SSH_PATTERN = frozenset("*?!")
_HOST_VARIABLE = re.compile(r"\s\w+=")
_YAML_STR = "tag:yaml.org,2002:str"
_RANGE_WORDS = "a range `[first:last]` or `[first:last:step]` of numbers or letters"


def read_inventory(path: Path, kind: InventoryKind | None = None) -> Inventory:
    """Read and parse the inventory at ``path``; its kind from ``kind``, else
    from the file's suffix or name, else from its content."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InventoryError(f"{path}: cannot read the inventory: {error}") from error
    chosen = kind or guess_kind(path, text)
    return parse_inventory(text, chosen, str(path))


def parse_inventory(text: str, kind: InventoryKind, source: str) -> Inventory:
    """Parse ``text`` as ``kind``; ``source`` names the file in messages."""
    match kind:
        case InventoryKind.LIST:
            return Inventory(_unique(_plain(text, source)))
        case InventoryKind.ANSIBLE_INI:
            return Inventory(_unique(_ansible_ini(text, source)))
        case InventoryKind.ANSIBLE_YAML:
            return _ansible_yaml(text, source)
        case InventoryKind.SSH_CONFIG:
            return _ssh_config(text, source)


def guess_kind(path: Path, text: str) -> InventoryKind:
    """The kind a file most likely is: ``.yml``/``.yaml`` Ansible YAML,
    ``.ini`` Ansible INI, ``config`` under ``.ssh`` SSH config; otherwise
    judged from its first lines."""
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        return InventoryKind.ANSIBLE_YAML
    if suffix == ".ini":
        return InventoryKind.ANSIBLE_INI
    if path.name in ("ssh_config", "config") and path.parent.name == ".ssh":
        return InventoryKind.SSH_CONFIG
    return _kind_of_content(text)


def _kind_of_content(text: str) -> InventoryKind:
    lines = [line.strip() for line in text.splitlines()]
    meaningful = [line for line in lines if line and not line.startswith(("#", ";"))]
    for line in meaningful:
        first = re.split(r"[\s=]", line, maxsplit=1)[0].lower()
        if first in ("host", "match", "include", "hostname"):
            return InventoryKind.SSH_CONFIG
        if _SECTION.match(line) or _HOST_VARIABLE.search(line):
            return InventoryKind.ANSIBLE_INI
        if line.endswith(":") or line == "---":
            return InventoryKind.ANSIBLE_YAML
    return InventoryKind.LIST


def _plain(text: str, source: str) -> Iterator[InventoryHost]:
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) > 2:
            raise _error(
                source, number, "a host name, optionally followed by its address"
            )
        name = _checked_name(fields[0], source, number)
        address = (
            _checked_address(fields[1], source, number) if len(fields) == 2 else ""
        )
        yield InventoryHost(name, address, number, source)


def _ansible_ini(text: str, source: str) -> Iterator[InventoryHost]:
    holds_hosts = True
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("["):
            holds_hosts = _section_holds_hosts(stripped, source, number)
        elif holds_hosts:
            yield from _ini_host(stripped, source, number)


def _section_holds_hosts(line: str, source: str, number: int) -> bool:
    found = _SECTION.match(line)
    if found is None:
        raise _error(source, number, "a section header such as `[web]`")
    group, _, suffix = found.group(1).strip().partition(":")
    if not group or suffix not in ("", "vars", "children"):
        raise _error(source, number, "`[group]`, `[group:vars]` or `[group:children]`")
    return suffix == ""


def _ini_host(line: str, source: str, number: int) -> Iterator[InventoryHost]:
    try:
        fields = shlex.split(line, comments=True)
    except ValueError as error:
        raise _error(
            source, number, f"a host line with closed quotes ({error})"
        ) from error
    if not fields:
        return
    address = ""
    for position, item in enumerate(fields[1:], start=2):
        key, equals, value = item.partition("=")
        if not equals:
            # The field is not echoed: it may be the value of a password.
            raise _error(
                source, number, f"`key=value` host variables, not field {position}"
            )
        if key in _ADDRESS_VARS:
            address = _ansible_address(value, source, number)
    pattern = _PORT.sub(r"\1", fields[0])
    for name in expand_ranges(pattern, source, number):
        yield InventoryHost(
            _checked_name(name, source, number), address, number, source
        )


def expand_ranges(pattern: str, source: str = "", number: int = 0) -> list[str]:
    """Every name of an Ansible host pattern: ``web[01:03]`` gives ``web01``,
    ``web02``, ``web03``; ``[a:c]`` letters; ``[1:9:4]`` a stride."""
    found = _RANGE.search(pattern)
    if found is None:
        return [pattern]
    head, tail = pattern[: found.start()], pattern[found.end() :]
    return [
        f"{head}{item}{rest}"
        for item in _range_items(found.group(1), source, number)
        for rest in expand_ranges(tail, source, number)
    ]


def _range_items(spec: str, source: str, number: int) -> list[str]:
    parts = spec.split(":")
    if len(parts) not in (2, 3) or not parts[1]:
        raise _error(source, number, f"{_RANGE_WORDS}, not `[{spec}]`")
    first, last = parts[0] or "0", parts[1]
    step = parts[2] if len(parts) == 3 else "1"
    if not step.isdigit() or int(step) == 0:
        raise _error(source, number, f"{_RANGE_WORDS}, with a step of 1 or more")
    if first.isdigit() and last.isdigit() and int(first) <= int(last):
        return _numbers(first, last, int(step), f"{source}:{number}")
    letters = first.isalpha() and last.isalpha() and len(first) == len(last) == 1
    if letters and first <= last:
        return [chr(code) for code in range(ord(first), ord(last) + 1, int(step))]
    raise _error(source, number, f"{_RANGE_WORDS}, first before last, not `[{spec}]`")


def _numbers(first: str, last: str, step: int, where: str) -> list[str]:
    """As Ansible pads: to the width of ``first`` when it starts with ``0``,
    which ``last`` must then share (``[01:10]``, not ``[01:100]``)."""
    span = range(int(first), int(last) + 1, step)
    if not (first.startswith("0") and len(first) > 1):
        return [str(value) for value in span]
    if len(last) != len(first):
        raise InventoryError(
            f"{where}: expected {_RANGE_WORDS}, first and last of the same width "
            f"when zero-padded, not `[{first}:{last}]`"
        )
    return [str(value).zfill(len(first)) for value in span]


def _ansible_yaml(text: str, source: str) -> Inventory:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or "unreadable"
        raise _error(source, line, f"valid YAML ({problem})") from error
    walk = _YamlWalk(source)
    if root is None:
        return Inventory(())
    groups = _mapping(root, source, "groups at the top level, such as `all:`")
    found = [host for _, group in groups for host in walk.group(group)]
    return Inventory(_unique(found), tuple(walk.notes))


@dataclass
class _YamlWalk:
    """A walk over the groups of a YAML inventory; each group node is read
    once, so aliases can neither loop nor multiply the work."""

    source: str
    notes: list[str] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)

    def group(self, node: Any) -> Iterator[InventoryHost]:
        if _is_null(node) or id(node) in self.seen:
            return
        self.seen.add(id(node))
        expected = "a group with `hosts:`, `children:` or `vars:`"
        for key, value in _mapping(node, self.source, expected):
            if _is_null(value) or key.value == "vars":
                continue
            if key.value == "hosts":
                for host, host_vars in _mapping(value, self.source, "host names"):
                    yield from _yaml_host(host, host_vars, self.source)
            elif key.value == "children":
                for _, child in _mapping(value, self.source, "group names"):
                    yield from self.group(child)
            else:
                self.notes.append(
                    f"{self.source}:{key.start_mark.line + 1}: `{key.value}:` is "
                    "skipped, as Ansible does: a group holds only `hosts:`, "
                    "`children:` and `vars:`"
                )


def _yaml_host(key: Any, host_vars: Any, source: str) -> Iterator[InventoryHost]:
    number = key.start_mark.line + 1
    address = ""
    if not _is_null(host_vars):
        for name, value in _mapping(host_vars, source, "host variables as keys"):
            if name.value in _ADDRESS_VARS and value.tag == _YAML_STR:
                address = _ansible_address(str(value.value), source, number)
    pattern = _PORT.sub(r"\1", str(key.value))
    for name in expand_ranges(pattern, source, number):
        yield InventoryHost(
            _checked_name(name, source, number), address, number, source
        )


def _mapping(node: Any, source: str, expected: str) -> list[tuple[Any, Any]]:
    if not isinstance(node, yaml.MappingNode):
        raise _error(source, node.start_mark.line + 1, f"a mapping of {expected}")
    pairs: list[tuple[Any, Any]] = node.value
    for key, _ in pairs:
        if not isinstance(key, yaml.ScalarNode):
            raise _error(source, key.start_mark.line + 1, f"{expected}, as plain text")
    return pairs


def _is_null(node: Any) -> bool:
    return bool(node.tag == "tag:yaml.org,2002:null")


def _ssh_config(text: str, source: str) -> Inventory:
    hosts: list[InventoryHost] = []
    notes: list[str] = []
    block: list[InventoryHost] = []
    for number, line in enumerate(text.splitlines(), start=1):
        keyword, argument = _ssh_line(line, source, number)
        if keyword == "host":
            block = _ssh_block(argument, source, number, notes)
            hosts += block
        elif keyword == "match":
            block = []
        elif keyword == "hostname" and block and not block[0].address:
            block = [_with_hostname(host, argument) for host in block]
            hosts[len(hosts) - len(block) :] = block
        elif keyword == "include":
            notes.append(
                f"{source}:{number}: `Include {argument}` is not followed; "
                "give the included file as an inventory of its own"
            )
    return Inventory(_unique(hosts), tuple(notes))


def _ssh_line(line: str, source: str, number: int) -> tuple[str, str]:
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return "", ""
    found = re.match(r"^(\w+)(?:\s*=\s*|\s+)(.*)$", stripped)
    if found is None or not found.group(2).strip():
        raise _error(source, number, "`Keyword value`, such as `Host web01`")
    return found.group(1).lower(), found.group(2).strip()


def _ssh_block(
    argument: str, source: str, number: int, notes: list[str]
) -> list[InventoryHost]:
    block: list[InventoryHost] = []
    for name in argument.split():
        name = name.strip('"')
        if _SSH_PATTERN & set(name):
            notes.append(f"{source}:{number}: `Host {name}` is a pattern, not a host")
        else:
            block.append(
                InventoryHost(_checked_name(name, source, number), "", number, source)
            )
    return block


def _with_hostname(host: InventoryHost, hostname: str) -> InventoryHost:
    address = hostname.replace("%h", host.name).replace("%%", "%")
    return InventoryHost(host.name, address, host.source_line, host.path)


def _checked_name(name: str, source: str, number: int) -> str:
    if _NAME.match(name) or is_ip_address(name):
        return name
    raise _error(source, number, f"a host name (letters, digits, `.-_`), not `{name}`")


def _ansible_address(value: str, source: str, number: int) -> str:
    """``ansible_host``'s value; empty when it is a Jinja template, which only
    Ansible can render."""
    return "" if "{{" in value else _checked_address(value, source, number)


def _checked_address(address: str, source: str, number: int) -> str:
    if _ADDRESS.match(address):
        return address
    # Not echoed: a misplaced `key=value` may carry a password.
    raise _error(source, number, "a host name or IP address as the address")


def is_ip_address(text: str) -> bool:
    """Whether ``text`` is an IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _unique(hosts: Iterable[InventoryHost]) -> tuple[InventoryHost, ...]:
    kept: dict[str, InventoryHost] = {}
    for host in hosts:
        kept.setdefault(host.name.lower(), host)
    return tuple(kept.values())


def _error(source: str, number: int, expected: str) -> InventoryError:
    return InventoryError(f"{source}:{number}: expected {expected}")
