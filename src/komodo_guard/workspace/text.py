"""Turn a file's bytes into text, or say clearly why that is impossible.

Komodo reads resource files with Rust's ``read_to_string``: anything that is not
UTF-8 is rejected. Committed merge-conflict markers and empty files are not Komodo
errors but always human ones, so they get messages of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONFLICT = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)
_MARKERS = ("<" * 7, "=" * 7, ">" * 7, "|" * 7)
_BOM = "\ufeff"


@dataclass(frozen=True)
class TextProblem:
    """Why a file could not be read as text, or something wrong with all of it."""

    kind: str  # "encoding", "conflict", "empty", "syntax", "too-large"
    message: str
    line: int = 1
    column: int = 1


def decode(raw: bytes) -> tuple[str | None, TextProblem | None]:
    """Decode ``raw`` as UTF-8; on failure say at which line and column it broke."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        bad = raw[error.start : error.start + 1].hex()
        guess = (
            " (it looks like UTF-16)" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        )
        message = (
            f"not valid UTF-8: byte 0x{bad} at line {line}, column {column}{guess}; "
            "Komodo only reads UTF-8 files. Re-save the file as UTF-8."
        )
        return None, TextProblem("encoding", message, line, column)
    if text.startswith(_BOM):
        text = text[1:]
    return text, None


def conflict_markers(text: str) -> list[TextProblem]:
    """Find committed merge-conflict markers, one problem per marker line."""
    problems: list[TextProblem] = []
    if not any(marker in text for marker in _MARKERS):  # the usual case, fast
        return problems
    for match in _CONFLICT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        marker = match.group(1)
        problems.append(
            TextProblem(
                "conflict",
                f"merge-conflict marker {marker!r} committed; resolve the conflict "
                "and remove the markers before Komodo reads this file",
                line,
                1,
            )
        )
    return problems


def is_blank(text: str, comment: str = "#") -> bool:
    """True when ``text`` holds nothing but whitespace and comment lines."""
    return all(
        not line.strip() or line.lstrip().startswith(comment)
        for line in text.splitlines()
    )
