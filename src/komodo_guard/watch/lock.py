"""One watcher per state folder: an exclusive lock on ``watch.lock`` in it.

Two watchers sharing a state folder would both decide, and both send, every
alert. :func:`lock_folder` takes a non-blocking exclusive ``flock`` on the lock
file and writes the process id into it; a second watcher finds the lock taken
and stops with :class:`FolderLockedError`, naming the folder and the pid of the
holder. The lock belongs to the open file, so the operating system frees it
when the holder ends in any way, ``kill -9`` included; the file stays, and a
pid left in it by a dead process means nothing once the lock is free.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from komodo_guard.watch.state import WatchStateError

LOCK_FILE = "watch.lock"


class FolderLockedError(WatchStateError):
    """Another process holds the lock of a state folder."""

    def __init__(self, folder: Path, holder: int | None) -> None:
        who = f"pid {holder}" if holder is not None else "pid unknown"
        super().__init__(
            f"the state folder {folder} is in use by another komodo-guard watch "
            f"({who}): stop that one, or give this one another [watch] state_dir"
        )
        self.folder = folder
        self.holder = holder


class FolderLock:
    """The held lock of one state folder; :meth:`release` frees it."""

    def __init__(self, folder: Path, descriptor: int) -> None:
        self.folder = folder
        self._descriptor: int | None = descriptor

    def release(self) -> None:
        """Free the lock (closing its file); a second call does nothing."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None


def lock_folder(folder: Path) -> FolderLock:
    """Lock ``folder`` for this process, or raise :class:`FolderLockedError`.

    The lock file is created owner-only when missing; other errors (a folder
    that cannot be written) are :class:`WatchStateError` naming the file.
    """
    path = folder / LOCK_FILE
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        raise WatchStateError(f"cannot open {path}: {error.strerror}") from error
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _holder(descriptor)
        os.close(descriptor)
        raise FolderLockedError(folder, holder) from None
    except OSError as error:
        os.close(descriptor)
        raise WatchStateError(f"cannot lock {path}: {error.strerror}") from error
    try:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
    except OSError as error:
        os.close(descriptor)
        raise WatchStateError(f"cannot write {path}: {error.strerror}") from error
    return FolderLock(folder, descriptor)


def _holder(descriptor: int) -> int | None:
    """The pid the holder wrote, if it has written one yet."""
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
