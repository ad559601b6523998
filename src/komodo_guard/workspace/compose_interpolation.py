"""Find compose's ``${VAR}`` and ``$VAR`` interpolations in a string.

Compose replaces ``${NAME}`` and ``$NAME`` with the variable's value, or with
an empty string (and only a warning on the host) when it is unset. The
operators give it a fallback: ``${NAME:-x}`` / ``${NAME-x}`` a default,
``${NAME:?msg}`` / ``${NAME?msg}`` a loud failure, ``${NAME:+x}`` /
``${NAME+x}`` a value only when set. ``$$`` is a literal dollar sign.

Variables nested in a fallback (``${A:-${B}}``) are not reported: they are
read only when the outer one is unset.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

_NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")
_OPERATORS = (
    (":-", "default"),
    ("-", "default"),
    (":?", "required"),
    ("?", "required"),
    (":+", "alternate"),
    ("+", "alternate"),
)


class Fallback(enum.StrEnum):
    """What compose does when the variable is unset."""

    NONE = "none"  # empty string, silently
    DEFAULT = "default"
    REQUIRED = "required"
    ALTERNATE = "alternate"


@dataclass(frozen=True)
class Interpolation:
    """One use of a variable: its name, offset of the ``$`` and its fallback."""

    name: str
    offset: int
    written: str
    fallback: Fallback


def find_interpolations(text: str) -> list[Interpolation]:
    """Every interpolation in ``text`` in order (escapes and nested ones left out)."""
    found: list[Interpolation] = []
    index = text.find("$")
    while index != -1:
        follower = text[index + 1 : index + 2]
        if follower == "$":
            index = text.find("$", index + 2)
            continue
        if follower == "{":
            use, end = _braced(text, index)
        else:
            use, end = _named(text, index)
        if use is not None:
            found.append(use)
        index = text.find("$", max(end, index + 1))
    return found


def has_interpolation(value: Any) -> bool:
    """True for a string that compose would change by interpolation."""
    return isinstance(value, str) and "$" in value and bool(find_interpolations(value))


def _named(text: str, index: int) -> tuple[Interpolation | None, int]:
    match = _NAME.match(text, index + 1)
    if match is None:
        return None, index + 1
    written = text[index : match.end()]
    return Interpolation(match.group(), index, written, Fallback.NONE), match.end()


def _braced(text: str, index: int) -> tuple[Interpolation | None, int]:
    match = _NAME.match(text, index + 2)
    if match is None:
        return None, index + 2
    end = _closing(text, match.end())
    fallback = Fallback.NONE
    for operator, kind in _OPERATORS:
        if text.startswith(operator, match.end()):
            fallback = Fallback(kind)
            break
    written = text[index : match.end()]
    return Interpolation(match.group(), index, written, fallback), end


def _closing(text: str, start: int) -> int:
    """The offset just past the ``}`` that closes a ``${`` (nesting counted)."""
    depth = 1
    index = start
    while index < len(text):
        if text.startswith("${", index):
            depth += 1
            index += 2
            continue
        if text[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return len(text)
