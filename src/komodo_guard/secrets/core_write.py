"""Give one setting of Komodo Core's own configuration a new value.

Two kinds of file, told apart by the name as the ``core-config`` place does:

- ``core.config.toml``: ``key`` is a dotted TOML key (``database.password``).
  The string already there is replaced through tomlkit, so comments, order,
  spacing and every other line stay as written; a literal string stays
  literal when the value can be one (no ``'``, no control character), else a
  basic string with escapes is written. The new text is parsed again before
  it is written: every other value must be unchanged and the key must give
  the new value.
- an env file (Core's ``compose.env``): ``key`` is a ``KOMODO_*`` variable.
  Komodo also reads ``KOMODO_MONGO_*`` for ``KOMODO_DATABASE_*``, so every
  spelling the file sets is written; a ``*_FILE`` variant is refused (the
  value is in a file inside Core's container). The line itself is written
  by :func:`komodo_guard.secrets.writers.write_env_file`.

A key the file does not set, or a TOML value that is not a string, is
refused: rotate changes settings, it does not invent them. The file is
replaced the way every writer replaces one
(:mod:`komodo_guard.secrets.writers`): through a symbolic link, atomically,
keeping mode, owner and group, the old file kept as ``<file>.bak`` (mode
0600). Errors are :class:`WriteError` naming the file and key, never a value
nor a line of the file.
"""

from __future__ import annotations

import copy
import hmac
import re
import tomllib
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import String

from komodo_guard.secrets.places.core_config import MAX_CONFIG_BYTES, aliases
from komodo_guard.secrets.value import SecretValue
from komodo_guard.secrets.writers import (
    WriteError,
    keep_backup,
    locked,
    read_original,
    rewrite,
    write_env_file,
)
from komodo_guard.workspace.envfile import dotenv_entries

_NOT_LITERAL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f']")
_FILE_SUFFIX = "_FILE"
_IN_CONTAINER = (
    "names a file inside Core's container, which holds the value; map that "
    "file as an env-file or sops place and rotate it there"
)


def write_core_config(path: Path, key: str, value: SecretValue) -> bool:
    """Set ``key`` of Core's config file or env file at ``path`` to ``value``;
    False when it already holds it (nothing written), True when written."""
    try:
        value.reveal().encode("utf-8")
    except UnicodeEncodeError:
        raise WriteError(
            f"{path}: {key}: the new value is not valid Unicode text; choose "
            "another value"
        ) from None
    with locked(path):
        if str(path).endswith(".toml"):
            return _write_toml(path, key, value)
        return _write_env(path, key, value)


def _same(left: str, right: SecretValue) -> bool:
    return hmac.compare_digest(left.encode(), right.reveal().encode())


# core.config.toml -------------------------------------------------------------


def _write_toml(path: Path, key: str, value: SecretValue) -> bool:
    original = read_original(path, MAX_CONFIG_BYTES)
    try:
        before = tomllib.loads(original.text)
        document = tomlkit.parse(original.text)
    except (tomllib.TOMLDecodeError, TOMLKitError, ValueError):
        # The parser's message may quote the line, and the line may be a secret.
        raise WriteError(f"{path}: not valid TOML") from None
    parts = key.split(".")
    table, old = _setting(document, parts, path, key)
    if _same(str(old), value):
        return False
    table[parts[-1]] = _string_like(old, value, f"{path}: {key}")
    new_text = tomlkit.dumps(document)
    _check_toml(path, key, before, new_text, value)
    rewrite(original, new_text)
    return True


def _setting(
    document: tomlkit.TOMLDocument, parts: list[str], path: Path, key: str
) -> tuple[Any, String]:
    """The table holding the setting, and the setting's string item."""
    node: Any = document
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    found = node.get(parts[-1]) if isinstance(node, dict) else None
    if found is None:
        raise WriteError(
            f"{path} has no key `{key}`; rotate changes a setting, it does not "
            "add one: add it by hand first"
        )
    if not isinstance(found, String):
        raise WriteError(f"{path}: `{key}` is not a string; change it by hand")
    return node, found


def _string_like(old: String, value: SecretValue, where: str) -> String:
    """``value`` as a TOML string in ``old``'s style where the value allows."""
    text = value.reveal()
    literal = old.type.is_literal() and not _NOT_LITERAL.search(text)
    try:
        return tomlkit.string(text, literal=literal)
    except TOMLKitError:
        # tomlkit's message quotes the value.
        raise WriteError(
            f"{where}: the value cannot be written as a TOML string"
        ) from None


def _check_toml(
    path: Path, key: str, before: dict[str, Any], text: str, value: SecretValue
) -> None:
    """Refuse a rewrite that changes anything but ``key``."""
    parts = key.split(".")
    try:
        after = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise WriteError(
            f"{path}: {key}: the rewritten file is not valid TOML"
        ) from None
    written = _lookup(after, parts)
    if not isinstance(written, str) or not _same(written, value):
        raise WriteError(f"{path}: {key}: the rewritten file does not give the value")
    if _without(after, parts) != _without(before, parts):
        raise WriteError(f"{path}: {key}: the rewrite changed other settings")


def _lookup(data: Any, parts: list[str]) -> Any:
    for part in parts:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _without(data: dict[str, Any], parts: list[str]) -> dict[str, Any]:
    """A copy of ``data`` without the setting at ``parts``."""
    pruned = copy.deepcopy(data)
    parent = _lookup(pruned, parts[:-1])
    if isinstance(parent, dict):
        parent.pop(parts[-1], None)
    return pruned


# compose.env ------------------------------------------------------------------


def _write_env(path: Path, key: str, value: SecretValue) -> bool:
    if key.endswith(_FILE_SUFFIX):
        raise WriteError(f"{path}: {key} {_IN_CONTAINER}")
    original = read_original(path, MAX_CONFIG_BYTES)
    names = {entry.key for entry in dotenv_entries(original.text)}
    spellings = (key, *aliases(key))
    for name in spellings:
        if name + _FILE_SUFFIX in names:
            raise WriteError(f"{path} sets {name}{_FILE_SUFFIX}: {_IN_CONTAINER}")
    present = [name for name in spellings if name in names]
    if not present:
        raise WriteError(
            f"{path} does not set {key}; rotate changes a setting, it does not "
            "add one: add it by hand first"
        )
    written = [write_env_file(path, name, value) for name in present]
    if any(written) and len(present) > 1:
        # Each write kept the file before it; the backup is the file before all.
        keep_backup(original)
    return any(written)
