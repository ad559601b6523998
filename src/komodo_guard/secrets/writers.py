"""Write a new value of a secret to the stores ``secrets rotate`` can change.

``write_env_file`` sets one key of a dotenv file: the line of its last
assignment (the one compose uses) is rewritten, with the inline comment
compose would skip after it; the rest of the file is kept byte for byte. The
new text is read back before it is written: every other assignment must be
unchanged and the key must give the new value, or nothing is written.

Every file writer here and in :mod:`~komodo_guard.secrets.sops_write` and
:mod:`~komodo_guard.secrets.core_write` rewrites a file the same way
(:func:`read_original`, then :func:`rewrite`):

- a symbolic link is followed: the file it points to is replaced and the link
  stays a link;
- the old file is kept as ``<file>.bak`` beside the real file (mode 0600);
- the new one is written to a temporary file beside it, given the old one's
  owner, group and mode, flushed to disk, then put in its place with
  ``os.replace``;
- a temporary file an interrupted earlier run left behind (this module's own
  naming only) is removed first;
- when the owner cannot be kept (only root can give a file to someone else),
  nothing is written.

``write_komodo_variable`` sets a Variable of Komodo Core with
``UpdateVariableValue``; an error text that quotes the value is withheld.

Errors are :class:`WriteError`, naming the file or Variable, never a value.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hmac
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from komodo_guard.live.client import CoreClient
from komodo_guard.live.errors import CoreError
from komodo_guard.secrets.dbauth import scrub
from komodo_guard.secrets.places.envfile import value_of as env_value_of
from komodo_guard.secrets.places.interface import Found
from komodo_guard.secrets.value import SecretValue
from komodo_guard.workspace.envfile import DotenvEntry, dotenv_entries

BACKUP_MODE = 0o600

_BARE = re.compile(r"[A-Za-z0-9_\-.~+/=@:%,]*")
# A quote ends the value; and every character Python's splitlines breaks a
# line at (the file is read back that way before it is written).
_NOT_IN_QUOTES = re.compile("['\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_LEAD = re.compile(r"\s*(?:export\s+)?")
_ASSIGNED = re.compile(r"\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.\-]*\s*[=:]\s*")
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'")
# compose ends a bare value at a space followed by `#`, and skips a comment
# written after a quoted value.
_BARE_COMMENT = " #"


class WriteError(Exception):
    """A store could not be written; the message never holds a value."""


@dataclass(frozen=True)
class Keep:
    """What a replacement keeps of the file it replaces."""

    mode: int
    uid: int
    gid: int


@dataclass(frozen=True)
class Original:
    """A file about to be rewritten, as it was read."""

    path: Path
    """The real file: every symbolic link on the way followed."""
    text: str = field(repr=False)
    keep: Keep

    @property
    def backup(self) -> Path:
        return self.path.with_name(self.path.name + ".bak")


def env_value_problem(value: SecretValue) -> str | None:
    """Why a dotenv file cannot hold ``value``; None when it can."""
    if _NOT_IN_QUOTES.search(value.reveal()):
        return (
            "it holds a single quote (') or a line break, which a dotenv line "
            "cannot hold literally"
        )
    return None


def env_literal(value: SecretValue) -> str:
    """The value as a dotenv file writes it: bare when it is plain, else in
    single quotes (taken literally by compose)."""
    text = value.reveal()
    if _BARE.fullmatch(text):
        return text
    problem = env_value_problem(value)
    if problem:
        raise WriteError(f"the new value cannot be written: {problem}")
    return f"'{text}'"


def write_env_file(path: Path, key: str, value: SecretValue) -> bool:
    """Set ``key`` in the dotenv file at ``path``; False when it already holds
    ``value`` (nothing written), True when written."""
    with locked(path):
        return _write_env_file(path, key, value)


def _write_env_file(path: Path, key: str, value: SecretValue) -> bool:
    original = read_original(path)
    entries = dotenv_entries(original.text)
    current = env_value_of(str(path), entries, key, None)
    if isinstance(current, Found) and _same(current.value, value):
        return False
    problem = env_value_problem(value)
    if problem:
        raise WriteError(
            f"{path}: {key} cannot hold the new value: {problem}; choose another value"
        )
    found = [entry for entry in entries if entry.key == key]
    if found and "\n" in (found[-1].value or ""):
        raise WriteError(
            f"{path}:{found[-1].line}: {key} has a multi-line value, which cannot be "
            "rewritten on one line; change it by hand"
        )
    lines = original.text.splitlines(keepends=True)
    line = f"{key}={env_literal(value)}"
    if found:
        number = found[-1].line - 1
        lines[number] = _reassigned(lines[number], line)
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(line + "\n")
    new_text = "".join(lines)
    _check_rewrite(path, key, entries, new_text, value)
    rewrite(original, new_text)
    return True


def _reassigned(old: str, assignment: str) -> str:
    """``old``'s line with ``assignment`` in place of its own, keeping its
    indent, ``export``, inline comment and line ending."""
    body = old.rstrip("\r\n")
    ending = old[len(body) :] or "\n"
    lead = _LEAD.match(body)
    return (lead.group() if lead else "") + assignment + _comment(body) + ending


def _comment(line: str) -> str:
    """The inline comment of an assignment ``line``, with the blanks before
    it, when compose reads it as a comment; empty otherwise."""
    start = _ASSIGNED.match(line)
    rest = line[start.end() :] if start else ""
    quoted = _QUOTED.match(rest)
    if quoted:
        after = rest[quoted.end() :]
        comment = after.lstrip()
        if not comment.startswith("#"):
            return ""
        gap = after[: len(after) - len(comment)]
        # A new bare value needs a space right before `#` to end there.
        return (gap if gap.endswith(" ") else " ") + comment
    cut = rest.find(_BARE_COMMENT)
    return rest[cut:] if cut >= 0 else ""


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


# Replacing a file -------------------------------------------------------------

LOCK_WAIT = 30.0
"""Seconds a writer waits for another one to finish with the same file."""
_HELD: dict[Path, int] = {}


@contextlib.contextmanager
def locked(path: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the write lock of the file at ``path`` (links followed) while in
    the ``with``, so that two runs rotating different keys of one file each
    read, change and replace it in turn and neither loses the other's change.

    The lock is ``flock`` on ``.NAME.lock`` beside the file, removed on
    release; a writer that locked a lock file removed meanwhile takes the new
    one. Nested use in one process is counted, not locked twice. WriteError
    when another writer keeps it for more than ``wait`` seconds.
    """
    real = Path(os.path.realpath(path))
    if real in _HELD:
        _HELD[real] += 1
        try:
            yield
        finally:
            _HELD[real] -= 1
        return
    descriptor = _take_lock(real, real.with_name(f".{real.name}.lock"), wait)
    _HELD[real] = 1
    try:
        yield
    finally:
        del _HELD[real]
        discard(real.with_name(f".{real.name}.lock"))
        os.close(descriptor)


def _take_lock(real: Path, lock: Path, wait: float) -> int:
    deadline = time.monotonic() + wait
    while True:
        try:
            descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as error:
            raise WriteError(f"{lock}: cannot open: {error.strerror}") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if time.monotonic() > deadline:
                raise WriteError(
                    f"{real}: another komodo-guard has been writing it for more "
                    f"than {wait:g} s; try again when it is done"
                ) from None
            time.sleep(0.05)
            continue
        try:
            current = os.path.samestat(os.fstat(descriptor), os.stat(lock))
        except FileNotFoundError:
            current = False
        if current:
            return descriptor
        os.close(descriptor)


def read_original(path: Path, limit: int | None = None) -> Original:
    """The file at ``path`` (links followed): its text, mode and owner;
    WriteError when it cannot be read, is not UTF-8 or is over ``limit``
    bytes."""
    real = Path(os.path.realpath(path))
    try:
        with real.open("rb") as handle:
            status = os.fstat(handle.fileno())
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as error:
        raise WriteError(f"{path}: cannot read: {error.strerror}") from None
    if limit is not None and len(data) > limit:
        raise WriteError(f"{path}: larger than {limit} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise WriteError(f"{path}: not UTF-8 text") from None
    keep = Keep(stat.S_IMODE(status.st_mode), status.st_uid, status.st_gid)
    return Original(real, text, keep)


def check_owner(original: Original) -> None:
    """WriteError unless this process can give a new file ``original``'s
    owner and group (root can; another user only for its own files, in one of
    its groups)."""
    user = os.geteuid()
    keep = original.keep
    if user == 0 or (keep.uid == user and keep.gid in {os.getegid(), *os.getgroups()}):
        return
    raise WriteError(
        f"{original.path} belongs to uid {keep.uid}, gid {keep.gid}: rewritten "
        f"by uid {user} it would change owner, which only root can prevent; "
        "run as root or as its owner"
    )


def rewrite(original: Original, text: str) -> None:
    """Replace ``original`` with ``text``, keeping its mode and owner, the old
    text kept as its ``.bak``."""
    check_owner(original)
    keep_backup(original)
    replace_file(original.path, text, original.keep)


def keep_backup(original: Original) -> None:
    """Write ``original``'s text to its ``.bak``: same owner, mode 0600."""
    keep = dataclasses.replace(original.keep, mode=BACKUP_MODE)
    replace_file(original.backup, original.text, keep)


def replace_file(path: Path, text: str, keep: Keep) -> None:
    """Replace ``path`` with ``text`` atomically, with ``keep``'s owner and
    mode."""
    remove_leftovers(path, _temporaries(path.name))
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        descriptor = os.open(temporary, flags, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            # chown first: it clears the set-user-ID and set-group-ID bits.
            os.fchown(handle.fileno(), keep.uid, keep.gid)
            os.fchmod(handle.fileno(), keep.mode)
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        sync_folder(path)
    except OSError as error:
        discard(temporary)
        raise WriteError(f"{path}: cannot write: {error.strerror}") from None


def _temporaries(name: str) -> re.Pattern[str]:
    """Names :func:`replace_file` gives its temporary files for ``name``."""
    return re.compile(rf"\.{re.escape(name)}\.[0-9]+\.tmp")


def sync_folder(path: Path) -> None:
    """Flush the folder of ``path`` (a rename in it) to disk."""
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def remove_leftovers(path: Path, names: re.Pattern[str]) -> None:
    """Remove every file beside ``path`` whose whole name matches ``names``:
    temporary files a killed run left; never raises."""
    try:
        with os.scandir(path.parent) as entries:
            found = [
                Path(entry.path)
                for entry in entries
                if names.fullmatch(entry.name)
                and not entry.is_dir(follow_symlinks=False)
            ]
    except OSError:
        return
    for leftover in found:
        discard(leftover)


def discard(path: Path) -> None:
    """Remove ``path`` if it can be; never raises (a cleanup must not hide
    the error that led to it)."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def write_komodo_variable(core: CoreClient, name: str, value: SecretValue) -> None:
    """Set Core's Variable ``name`` to ``value`` (``UpdateVariableValue``)."""
    try:
        core.write("UpdateVariableValue", {"name": name, "value": value.reveal()})
    except CoreError as error:
        text = scrub(str(error), value)
        raise WriteError(f"Komodo Variable {name}: {text}") from None
