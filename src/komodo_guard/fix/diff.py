"""Unified diffs the way git writes them, ``\\ No newline`` markers included.

The diff goes to standard output, which in CI is a log anyone can read, so the
value of every line that could hold a secret (a secret-looking key, in TOML or in
an env block, or a URL with credentials) is replaced by ``********``. Such a diff
shows what moves where; ``--fix`` applies the real text.
"""

from __future__ import annotations

import difflib
import re

from komodo_guard.fix.lines import split_lines
from komodo_guard.rules.content.secret_text import is_secret_key

_NO_NEWLINE = "\\ No newline at end of file\n"
_ASSIGNMENT = re.compile(
    r"^(?P<lead>[-+ ]?\s*(?:-\s+)?[\"']?)(?P<key>[A-Za-z0-9_.-]+)"
    r"(?P<sep>[\"']?\s*[=:]\s*)(?P<value>.*?)(?P<end>\n?)$"
)
# Misspelt secret keys (``webhook_secrt``) are hidden too: over-hiding is harmless.
_SECRETISH = re.compile(r"secr|pass|pwd|token|api_?key|private|credential|auth")
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/@\s]+@")
HIDDEN = "********"


def unified(path: str, before: str, after: str, *, hide_secrets: bool = True) -> str:
    """The diff of one file, ``a/path`` to ``b/path``; "" when equal."""
    lines = difflib.unified_diff(
        split_lines(before), split_lines(after), f"a/{path}", f"b/{path}"
    )
    return "".join(
        masked if masked.endswith("\n") else f"{masked}\n{_NO_NEWLINE}"
        for masked in (map(mask, lines) if hide_secrets else lines)
    )


def mask(line: str) -> str:
    """``line`` with any value that could be a secret hidden."""
    if line.startswith(("---", "+++", "@@")):
        return line
    match = _ASSIGNMENT.match(line)
    if match and match.group("value"):
        key = match.group("key")
        if is_secret_key(key) or _SECRETISH.search(key.lower()):
            return (
                f"{match.group('lead')}{key}{match.group('sep')}"
                f"{HIDDEN}{match.group('end')}"
            )
    if "@" in line and "://" in line:
        return _URL_CREDENTIALS.sub(rf"\g<scheme>{HIDDEN}@", line)
    return line
