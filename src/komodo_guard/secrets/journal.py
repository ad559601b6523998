"""The write-ahead journal of one rotation, so a crash can be resumed or undone.

Before each step of ``secrets rotate`` touches a store, the journal records
that the step has ``started``; after it, ``done``. The file is replaced as a
whole through a temporary file (owner-only, mode 0600) that is fsynced
before ``os.replace``, and the folder is fsynced after, so after a crash the
journal holds either the previous record or the new one, never a torn one.
A new rotation creates its journal exclusively (a hard link of the written
file), so two rotations of one secret started at once cannot both go on.

The old and the new value are in the journal only encrypted (Fernet, from
``cryptography``). The key comes from the passphrase in the environment
variable ``KOMODO_GUARD_JOURNAL_KEY`` when it is set (PBKDF2-HMAC-SHA256,
600 000 rounds, with a random salt kept in the journal); otherwise a random
key is written to ``<journal>.key`` beside it, mode 0600, and removed with
the journal. Either way, a journal alone never gives the values away: the
passphrase or the key file is needed too, and both stay on this host.

The journal is removed once the rotation (or its rollback) has finished.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from komodo_guard.secrets.value import SecretValue

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

PASSPHRASE_ENV = "KOMODO_GUARD_JOURNAL_KEY"
DEFAULT_FOLDER = ".komodo-guard"
FORMAT = 1
ROUNDS = 600_000
StepStatus = Literal["pending", "started", "done", "undone"]
Mode = Literal["rotate", "rollback"]


class JournalError(Exception):
    """The journal cannot be read, written or decrypted; never holds a value."""


@dataclass(frozen=True)
class Record:
    """What the journal says: the secret, each step's place and status, the
    mode (rotating or rolling back), and both values."""

    secret: str
    places: tuple[str, ...]
    statuses: tuple[StepStatus, ...]
    old: SecretValue
    new: SecretValue
    mode: Mode = "rotate"

    def with_status(self, index: int, status: StepStatus) -> Record:
        """This record with step ``index`` set to ``status``."""
        statuses = list(self.statuses)
        statuses[index] = status
        return replace(self, statuses=tuple(statuses))


class Journal:
    """The journal file at ``path``; ``environ`` gives the passphrase, if any."""

    def __init__(self, path: Path, environ: Mapping[str, str]) -> None:
        self.path = path
        self.key_file = path.with_name(path.name + ".key")
        self.lock_file = path.with_name(path.name + ".lock")
        self._passphrase = environ.get(PASSPHRASE_ENV, "")

    @contextlib.contextmanager
    def locked(self, secret: str) -> Iterator[None]:
        """Hold this journal's lock (``flock`` on ``<journal>.lock``, with
        this process's pid in it) while in the ``with``; JournalError at once
        when another process holds it. The OS frees it when the process dies,
        however it dies."""
        private_folder(self.path.parent)
        try:
            descriptor = os.open(
                self.lock_file, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600
            )
        except OSError as error:
            raise JournalError(
                f"{self.lock_file}: cannot open: {error.strerror}"
            ) from None
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(descriptor, 32).decode("ascii", "replace").strip()
                raise JournalError(
                    f"a rotation of secret {secret} is running (pid "
                    f"{holder or 'unknown'}): wait for it to end (or stop it) "
                    "before starting, resuming or rolling back this secret"
                ) from None
            try:
                current = os.path.samestat(
                    os.fstat(descriptor), os.stat(self.lock_file)
                )
            except FileNotFoundError:
                current = False
            if not current:
                # The holder before removed it on release: take the new one.
                os.close(descriptor)
                descriptor = -1
                with self.locked(secret):
                    yield
                return
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
            yield
            with contextlib.suppress(OSError):
                os.unlink(self.lock_file)
        finally:
            if descriptor >= 0:
                os.close(descriptor)

    def exists(self) -> bool:
        """Whether a rotation left this journal behind."""
        return self.path.exists()

    def write(self, record: Record, *, first: bool = False) -> None:
        """Write ``record`` durably (fsynced, atomically replaced).

        ``first``: the journal must not exist yet (a new rotation); when
        another rotation created it meanwhile, JournalError and no change.
        """
        salt = self._salt()
        material = json.dumps({"old": record.old.reveal(), "new": record.new.reveal()})
        token = self._fernet(salt).encrypt(material.encode())
        document = {
            "format": FORMAT,
            "secret": record.secret,
            "mode": record.mode,
            "steps": [
                {"place": place, "status": status}
                for place, status in zip(record.places, record.statuses, strict=True)
            ],
            "salt": base64.b64encode(salt).decode() if salt else "",
            "values": token.decode(),
        }
        data = json.dumps(document, indent=2).encode() + b"\n"
        try:
            _write_private(self.path, data, exclusive=first)
        except FileExistsError:
            raise JournalError(
                f"{self.path}: another rotation of secret {record.secret} has "
                "started meanwhile"
            ) from None

    def read(self) -> Record:
        """The record in the journal; JournalError when it cannot be used."""
        from cryptography.fernet import InvalidToken

        try:
            document = json.loads(self.path.read_bytes())
            salt = base64.b64decode(document["salt"]) if document["salt"] else b""
            steps = document["steps"]
            token = document["values"].encode()
            secret, mode = str(document["secret"]), document["mode"]
        except OSError as error:
            raise JournalError(f"{self.path}: cannot read: {error.strerror}") from None
        except (ValueError, KeyError, TypeError, AttributeError):
            raise JournalError(
                f"{self.path}: not a komodo-guard journal (damaged?): run "
                "`komodo-guard secrets check` to see which value each place holds, "
                "put every place right by hand, then delete the journal"
            ) from None
        if not self._passphrase and not self.key_file.exists():
            raise JournalError(
                f"{self.key_file} is missing: the journal's values cannot be read "
                f"without it (or set {PASSPHRASE_ENV} if the rotation used a "
                "passphrase); run `komodo-guard secrets check` to see each place"
            )
        try:
            values = json.loads(self._fernet(salt).decrypt(token))
        except InvalidToken:
            raise JournalError(
                f"{self.path}: cannot decrypt the values: wrong {PASSPHRASE_ENV} "
                f"or a missing or different {self.key_file.name}"
            ) from None
        return Record(
            secret=secret,
            places=tuple(str(step["place"]) for step in steps),
            statuses=tuple(step["status"] for step in steps),
            old=SecretValue(values["old"]),
            new=SecretValue(values["new"]),
            mode=mode,
        )

    def remove(self) -> None:
        """Remove the journal and its key file (the rotation is over)."""
        for path in (self.path, self.key_file):
            path.unlink(missing_ok=True)
        _sync_folder(self.path.parent)

    def _salt(self) -> bytes:
        """The passphrase's salt: the journal's own, or a new one; no salt
        when a key file is used."""
        if not self._passphrase:
            return b""
        if self.path.exists():
            try:
                written = json.loads(self.path.read_bytes()).get("salt", "")
                if written:
                    return base64.b64decode(written)
            except (OSError, ValueError):
                pass
        return os.urandom(16)

    def _fernet(self, salt: bytes) -> Fernet:
        from cryptography.fernet import Fernet

        if self._passphrase:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

            derive = PBKDF2HMAC(hashes.SHA256(), 32, salt or b"\0" * 16, ROUNDS)
            key = derive.derive(self._passphrase.encode())
            return Fernet(base64.urlsafe_b64encode(key))
        if not self.key_file.exists():
            # Exclusive: a rotation started at the same moment keeps its key.
            with contextlib.suppress(FileExistsError):
                _write_private(self.key_file, Fernet.generate_key(), exclusive=True)
        try:
            return Fernet(self.key_file.read_bytes().strip())
        except (OSError, ValueError):
            raise JournalError(f"{self.key_file}: not a usable key file") from None


def private_folder(folder: Path) -> None:
    """Create ``folder`` owner-only if missing. The default folder
    (``.komodo-guard``, beside the map, often in the GitOps tree) and a folder
    made here get a ``.gitignore`` that keeps everything in them out of git: a
    journal with its key must never be committed. A folder of the user's own
    (``--journal`` elsewhere) is left as it is."""
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    ignore = folder / ".gitignore"
    if (made or folder.name == DEFAULT_FOLDER) and not ignore.exists():
        with contextlib.suppress(OSError):
            ignore.write_text("# komodo-guard's own files: never commit them\n*\n")


def _write_private(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Replace ``path`` with ``data`` through an fsynced 0600 temporary file.

    ``exclusive``: create ``path`` only if it does not exist (a hard link of
    the written temporary file, so it appears whole or not at all), else
    FileExistsError.
    """
    private_folder(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(temporary, path)
            temporary.unlink()
        else:
            os.replace(temporary, path)
    except FileExistsError:
        temporary.unlink(missing_ok=True)
        raise
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise JournalError(f"{path}: cannot write: {error.strerror}") from None
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
