"""Write fixed files: inside the tree only, atomically, and only when each file
still holds the text the fixes were planned on."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from komodo_guard.workspace.text import decode

_BOM = "\ufeff".encode()


class FixError(Exception):
    """A fixed file could not be written; nothing was written for it."""


def write_all(root: Path, changes: Sequence[tuple[str, str, str]]) -> None:
    """Write each ``(path, before, after)`` under ``root``. Every file is checked
    first, so a file that moved out of the tree or changed since it was read
    stops the whole run before anything is written."""
    base = root.resolve()
    checked = [_checked(base, path, before) for path, before, _ in changes]
    for (target, bom), (_, _, after) in zip(checked, changes, strict=True):
        _replace(target, bom + after.encode("utf-8"))


def _checked(base: Path, path: str, before: str) -> tuple[Path, bytes]:
    """The real path of a tree file still holding ``before``, and its byte
    order mark (empty when it has none)."""
    target = (base / path).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        raise FixError(f"{path}: not a file inside {base}; nothing was written")
    raw = target.read_bytes()
    text, _ = decode(raw)
    if text != before:
        raise FixError(
            f"{path}: changed since it was read; nothing was written, run again"
        )
    return target, _BOM if raw.startswith(_BOM) else b""


def _replace(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target`` (with its mode) and
    move it over ``target`` in one step."""
    temporary = target.with_name(f".{target.name}.komodo-guard-{os.getpid()}.tmp")
    try:
        with temporary.open("xb") as stream:
            stream.write(data)
        temporary.chmod(stat.S_IMODE(target.stat().st_mode))
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise FixError(
            f"{target.name}: cannot write the fix: {error.strerror}"
        ) from error
