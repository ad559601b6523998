"""SOPS files decrypted in memory with age identities, their MAC verified.

A SOPS file keeps its structure in clear and encrypts each value as
``ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`` under one 32-byte data key; the
data key is stored encrypted for each recipient (``sops.age[].enc``). This
module opens the data key with the operator's age identities (through
pyrage), decrypts every value with AES-GCM (through cryptography) using the
value's key path as associated data, and checks the file's MAC: SHA-512 over
the plaintext values in document order, stored encrypted with
``lastmodified`` as associated data. A file edited without sops (a value
replaced by hand, a line removed) fails that check and is refused.

YAML, JSON and dotenv files are read, chosen by the file's extension as sops
chooses, or by an explicit format. Not covered: PGP, KMS and Vault keys,
Shamir key groups of more than one group.

Age identities come from where sops looks for them: ``SOPS_AGE_KEY`` (one or
more identities), ``SOPS_AGE_KEY_FILE``, and ``$XDG_CONFIG_HOME/sops/age/
keys.txt`` (``~/.config`` when unset) when that file exists. Identities and
decrypted values live in memory only; every value is a :class:`SecretValue`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeAlias

# pyrage ships no type information; drop this ignore when it does.
import pyrage  # type: ignore[import-untyped]
import yaml
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from yamlcore import CoreLoader

from komodo_guard.secrets.value import SecretValue

KEY_VARIABLE = "SOPS_AGE_KEY"
KEY_FILE_VARIABLE = "SOPS_AGE_KEY_FILE"
DEFAULT_KEY_FILE = Path("sops", "age", "keys.txt")
FORMATS = ("yaml", "json", "dotenv")
MAX_FILE_BYTES = 4 * 1024 * 1024

_EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".env": "dotenv"}
_ENCRYPTED = re.compile(
    r"ENC\[AES256_GCM,data:(?P<data>[^,]*),iv:(?P<iv>[^,]+),"
    r"tag:(?P<tag>[^,]+),type:(?P<type>[a-z]+)\]"
)
_METADATA = "sops"
_DOTENV_PREFIX = "sops_"

KeyPath = tuple[str | int, ...]
Identity: TypeAlias = Any
"""A ``pyrage.x25519.Identity`` (an age secret key in memory)."""


class SopsError(Exception):
    """A SOPS file that cannot be opened; the message names the file, never a
    value or a key."""


@dataclass(frozen=True)
class SopsDocument:
    """The decrypted leaves of one SOPS file, by key path (list items by index).

    ``lastmodified`` is when sops last wrote the values.
    """

    path: str
    values: Mapping[KeyPath, SecretValue] = field(repr=False)
    lastmodified: datetime | None
    recipients: tuple[str, ...]

    def get(self, keys: KeyPath) -> SecretValue | None:
        """The value at ``keys``, or None when the file has no such leaf."""
        return self.values.get(keys)


def format_of(path: Path, explicit: str | None = None) -> str:
    """``yaml``, ``json`` or ``dotenv``: ``explicit``, else by extension."""
    if explicit:
        return explicit
    if path.name == ".env":
        return "dotenv"
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise SopsError(
            f"{path}: cannot tell the format from the extension `{path.suffix}`; "
            f"set format to one of {', '.join(FORMATS)} in the place"
        )
    return found


def age_identities(environ: Mapping[str, str]) -> tuple[Identity, ...]:
    """Every age identity sops would use, from the environment and the default
    key file; an error naming where it looked when none is found."""
    texts: list[tuple[str, str]] = []
    if environ.get(KEY_VARIABLE):
        texts.append((f"${KEY_VARIABLE}", environ[KEY_VARIABLE]))
    if environ.get(KEY_FILE_VARIABLE):
        named = Path(environ[KEY_FILE_VARIABLE])
        texts.append((str(named), _read_key_file(named)))
    default = _default_key_file(environ)
    if default is not None and default.is_file():
        texts.append((str(default), _read_key_file(default)))
    identities = [ident for where, text in texts for ident in _parse_keys(where, text)]
    if not identities:
        raise SopsError(
            f"no age identity found: set {KEY_FILE_VARIABLE} to your keys.txt or "
            f"{KEY_VARIABLE} to an AGE-SECRET-KEY-… line"
            + (f" (looked in {default})" if default else "")
        )
    return tuple(identities)


def _default_key_file(environ: Mapping[str, str]) -> Path | None:
    base = environ.get("XDG_CONFIG_HOME") or (
        str(Path(environ["HOME"], ".config")) if environ.get("HOME") else ""
    )
    return Path(base, DEFAULT_KEY_FILE) if base else None


def _read_key_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise SopsError(f"{path}: cannot read the age key file: {reason}") from None


def _parse_keys(where: str, text: str) -> Iterator[Identity]:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            yield pyrage.x25519.Identity.from_str(stripped)
        except pyrage.IdentityError:
            raise SopsError(
                f"{where}: line {number} is not an age identity "
                "(expected AGE-SECRET-KEY-…)"
            ) from None


def decrypt_file(
    path: Path, identities: tuple[Identity, ...], explicit_format: str | None = None
) -> SopsDocument:
    """Decrypt every value of the SOPS file at ``path`` and verify its MAC."""
    kind = format_of(path, explicit_format)
    document = _load(path, kind)
    metadata = document.pop(_METADATA, None)
    if not isinstance(metadata, dict):
        raise SopsError(f"{path}: not a SOPS file (no sops metadata)")
    data_key = _data_key(path, metadata, identities)
    values, digest = _decrypt_leaves(path, document, data_key, metadata)
    stamp = str(metadata.get("lastmodified", ""))
    _verify_mac(path, metadata, data_key, digest, stamp)
    return SopsDocument(
        path=str(path),
        values=values,
        lastmodified=_timestamp(stamp),
        recipients=tuple(_recipients(metadata)),
    )


def _load(path: Path, kind: str) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SopsError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SopsError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise SopsError(f"{path}: not UTF-8 text") from None
    loaded = _parse(path, kind, text)
    if not isinstance(loaded, dict):
        raise SopsError(f"{path}: the top level is not a map of keys")
    return loaded


def _parse(path: Path, kind: str, text: str) -> Any:
    """The document; parser messages are left out, they may quote the file."""
    if kind == "dotenv":
        return _parse_dotenv(path, text)
    if kind == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise SopsError(f"{path}:{error.lineno}: not valid JSON") from None
    try:
        return yaml.load(text, Loader=CoreLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise SopsError(f"{path}{where}: not valid YAML") from None


def _parse_dotenv(path: Path, text: str) -> dict[str, Any]:
    """sops's dotenv store: ``KEY=VALUE`` lines, ``\\n`` escapes, ``#`` comments,
    metadata in ``sops_*`` keys (nested keys joined by ``__``)."""
    document: dict[str, Any] = {}
    metadata: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise SopsError(f"{path}:{number}: not a KEY=VALUE line")
        value = value.replace("\\n", "\n")
        if key.startswith(_DOTENV_PREFIX):
            metadata[key.removeprefix(_DOTENV_PREFIX)] = value
        else:
            document[key] = value
    if metadata:
        document[_METADATA] = _nested_metadata(metadata)
    return document


def _nested_metadata(flat: Mapping[str, str]) -> dict[str, Any]:
    """``age__list_0__map_enc`` -> ``{"age": [{"enc": …}]}``."""
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        head, _, rest = key.partition("__list_")
        if not rest:
            nested[key] = value
            continue
        index, _, field_name = rest.partition("__map_")
        items = nested.setdefault(head, [])
        while len(items) <= int(index):
            items.append({})
        items[int(index)][field_name] = value
    return nested


def _recipients(metadata: Mapping[str, Any]) -> Iterator[str]:
    for entry in _age_entries(metadata):
        if isinstance(entry.get("recipient"), str):
            yield entry["recipient"]


def _age_entries(metadata: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    entries = metadata.get("age")
    groups = metadata.get("key_groups")
    if isinstance(groups, list) and groups:
        if len(groups) > 1:
            return []
        entries = groups[0].get("age") if isinstance(groups[0], dict) else None
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, dict)]


def _data_key(
    path: Path, metadata: Mapping[str, Any], identities: tuple[Identity, ...]
) -> bytes:
    entries = _age_entries(metadata)
    if not entries:
        raise SopsError(
            f"{path}: has no age recipient komodo-guard can use (PGP, KMS, Vault "
            "and multi-group Shamir files need the sops binary)"
        )
    for entry in entries:
        armored = entry.get("enc")
        if not isinstance(armored, str):
            continue
        try:
            key = pyrage.decrypt(armored.encode("ascii"), list(identities))
        except (pyrage.DecryptError, UnicodeEncodeError):
            continue
        if isinstance(key, bytes) and len(key) == 32:
            return key
    recipients = ", ".join(_recipients(metadata)) or "unknown recipients"
    raise SopsError(
        f"{path}: none of the age identities can open it; it is encrypted for "
        f"{recipients}"
    )


def _decrypt_leaves(
    path: Path,
    document: Mapping[str, Any],
    data_key: bytes,
    metadata: Mapping[str, Any],
) -> tuple[dict[KeyPath, SecretValue], bytes]:
    """Every leaf's plaintext by key path, and the SHA-512 the MAC covers."""
    mac_only_encrypted = metadata.get("mac_only_encrypted") in (True, "true")
    digest = hashlib.sha512()
    if mac_only_encrypted:
        # sops starts such a MAC with SHA-256("sops") so that it never equals
        # the MAC of the same file without the setting.
        digest.update(hashlib.sha256(b"sops").digest())
    values: dict[KeyPath, SecretValue] = {}
    for keys, leaf in _leaves(document, ()):
        encrypted = isinstance(leaf, str) and _ENCRYPTED.fullmatch(leaf)
        if encrypted:
            text = _decrypt_value(path, data_key, encrypted, _aad(keys), keys)
        elif leaf is None:
            continue
        else:
            text = _plain_text(leaf)
        if encrypted or not mac_only_encrypted:
            digest.update(text.encode("utf-8"))
        boolean = isinstance(leaf, bool) or (
            encrypted and encrypted.group("type") == "bool"
        )
        # A boolean is hashed as Go prints it (True) but read as YAML writes it.
        values[keys] = SecretValue(text.lower() if boolean else text)
    return values, digest.digest()


def _leaves(node: Any, keys: KeyPath) -> Iterator[tuple[KeyPath, Any]]:
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _leaves(child, (*keys, str(key)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _leaves(child, (*keys, index))
    else:
        yield keys, node


def _aad(keys: KeyPath) -> bytes:
    """sops's associated data: the map keys of the path (list items share
    their parent's), each followed by ``:``."""
    return "".join(f"{key}:" for key in keys if isinstance(key, str)).encode()


def _plain_text(leaf: Any) -> str:
    """A clear leaf as sops hashes it (Go's formatting of the value)."""
    if isinstance(leaf, bool):
        return "True" if leaf else "False"
    if isinstance(leaf, float):
        return _go_float(leaf)
    return str(leaf)


def _go_float(number: float) -> str:
    text = repr(number)
    if "e" not in text:
        return text.removesuffix(".0")
    return format(number, "f").rstrip("0").rstrip(".")


def _decrypt_value(
    path: Path, data_key: bytes, match: re.Match[str], aad: bytes, keys: KeyPath
) -> str:
    try:
        data, iv, tag = (
            base64.b64decode(match.group(part), validate=True)
            for part in ("data", "iv", "tag")
        )
        decryptor = Cipher(algorithms.AES(data_key), modes.GCM(iv, tag)).decryptor()
        decryptor.authenticate_additional_data(aad)
        plain = decryptor.update(data) + decryptor.finalize()
        return plain.decode("utf-8")
    except (binascii.Error, ValueError, InvalidTag):
        where = ".".join(str(key) for key in keys) or "sops.mac"
        raise SopsError(
            f"{path}: the value at `{where}` does not decrypt (corrupted, or moved "
            "to another key without sops)"
        ) from None


def _verify_mac(
    path: Path,
    metadata: Mapping[str, Any],
    data_key: bytes,
    digest: bytes,
    stamp: str,
) -> None:
    stored = metadata.get("mac")
    match = _ENCRYPTED.fullmatch(stored) if isinstance(stored, str) else None
    if match is None:
        raise SopsError(f"{path}: the sops metadata has no MAC")
    expected = _decrypt_value(path, data_key, match, stamp.encode(), ())
    if not hmac.compare_digest(expected, digest.hex().upper()):
        raise SopsError(
            f"{path}: MAC mismatch: the file was changed without sops; restore "
            "it from git, or check it and encrypt it again with sops"
        )


def _timestamp(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
