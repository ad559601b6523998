"""Unified diffs the way git writes them, ``\\ No newline`` markers included."""

from __future__ import annotations

import difflib

from komodo_guard.fix.lines import split_lines

_NO_NEWLINE = "\\ No newline at end of file\n"


def unified(path: str, before: str, after: str) -> str:
    """The diff of one file, ``a/path`` to ``b/path``; "" when equal."""
    lines = difflib.unified_diff(
        split_lines(before), split_lines(after), f"a/{path}", f"b/{path}"
    )
    return "".join(
        line if line.endswith("\n") else f"{line}\n{_NO_NEWLINE}" for line in lines
    )
