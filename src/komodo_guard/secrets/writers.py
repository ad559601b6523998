"""Write a new value of a secret to the stores ``secrets rotate`` can change.

``write_env_file`` sets one key of a dotenv file: the line of its last
assignment (the one compose uses) is rewritten, the rest of the file is kept
byte for byte. The old file is kept as ``<file>.bak`` (mode 0600) and the new
one replaces it atomically (temporary file beside it, fsync, ``os.replace``),
keeping its mode. The new text is read back before it is written: every other
assignment must be unchanged and the key must give the new value, or nothing
is written.

``write_komodo_variable`` sets a Variable of Komodo Core with
``UpdateVariableValue``; an error text that quotes the value is withheld.

Errors are :class:`WriteError`, naming the file or Variable, never a value.
"""

from __future__ import annotations

import hmac
import os
import re
import stat
from pathlib import Path

from komodo_guard.live.client import CoreClient
from komodo_guard.live.errors import CoreError
from komodo_guard.secrets.dbauth import scrub
from komodo_guard.secrets.places.envfile import value_of as env_value_of
from komodo_guard.secrets.places.interface import Found
from komodo_guard.secrets.value import SecretValue
from komodo_guard.workspace.envfile import DotenvEntry, dotenv_entries

_BARE = re.compile(r"[A-Za-z0-9_\-.~+/=@:%,]*")
_EXPORT = re.compile(r"^(\s*export\s+)")


class WriteError(Exception):
    """A store could not be written; the message never holds a value."""


def env_literal(value: SecretValue) -> str:
    """The value as a dotenv file writes it: bare when it is plain, else in
    single quotes (taken literally by compose)."""
    text = value.reveal()
    if _BARE.fullmatch(text):
        return text
    if "'" in text or "\n" in text or "\r" in text:
        raise WriteError(
            "the value holds a quote or a line break, which a dotenv file cannot "
            "hold literally; choose another value"
        )
    return f"'{text}'"


def write_env_file(path: Path, key: str, value: SecretValue) -> bool:
    """Set ``key`` in the dotenv file at ``path``; False when it already holds
    ``value`` (nothing written), True when written."""
    try:
        text = path.read_bytes().decode("utf-8")
        mode = stat.S_IMODE(path.stat().st_mode)
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise WriteError(f"{path}: cannot read: {reason}") from None
    entries = dotenv_entries(text)
    current = env_value_of(str(path), entries, key, None)
    if isinstance(current, Found) and _same(current.value, value):
        return False
    lines = text.splitlines(keepends=True)
    found = [entry for entry in entries if entry.key == key]
    line = f"{key}={env_literal(value)}"
    if found and "\n" in (found[-1].value or ""):
        raise WriteError(
            f"{path}:{found[-1].line}: {key} has a multi-line value, which cannot be "
            "rewritten on one line; change it by hand"
        )
    if found:
        number = found[-1].line - 1
        old = lines[number]
        ending = old[len(old.rstrip("\r\n")) :] or "\n"
        prefix = _EXPORT.match(old)
        lines[number] = (prefix.group(1) if prefix else "") + line + ending
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(line + "\n")
    new_text = "".join(lines)
    _check_rewrite(path, key, entries, new_text, value)
    replace_file(path.with_name(path.name + ".bak"), text, 0o600)
    replace_file(path, new_text, mode)
    return True


def _same(left: SecretValue, right: SecretValue) -> bool:
    return hmac.compare_digest(left.reveal().encode(), right.reveal().encode())


def _check_rewrite(
    path: Path,
    key: str,
    before: tuple[DotenvEntry, ...],
    text: str,
    value: SecretValue,
) -> None:
    """Refuse a rewrite that changes anything but ``key`` (a multi-line value)."""
    after = dotenv_entries(text)
    others_before = [(entry.key, entry.value) for entry in before if entry.key != key]
    others_after = [(entry.key, entry.value) for entry in after if entry.key != key]
    written = env_value_of(str(path), after, key, None)
    if others_after != others_before or not (
        isinstance(written, Found) and _same(written.value, value)
    ):
        raise WriteError(
            f"{path}: {key} cannot be rewritten on one line without changing other "
            "assignments (a multi-line value?); change it by hand"
        )


def replace_file(path: Path, text: str, mode: int) -> None:
    """Replace ``path`` with ``text`` atomically, with permission bits ``mode``."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600
        )
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise WriteError(f"{path}: cannot write: {error.strerror}") from None


def write_komodo_variable(core: CoreClient, name: str, value: SecretValue) -> None:
    """Set Core's Variable ``name`` to ``value`` (``UpdateVariableValue``)."""
    try:
        core.write("UpdateVariableValue", {"name": name, "value": value.reveal()})
    except CoreError as error:
        text = scrub(str(error), value)
        raise WriteError(f"Komodo Variable {name}: {text}") from None
