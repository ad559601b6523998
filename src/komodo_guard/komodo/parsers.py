"""Komodo's own value parsers (``client/core/rs/src/parsers.rs``), pure.

``parse_string_list`` reads string-list fields given as one string;
``parse_env_block`` reads env blocks (``environment``, ``build_args``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

_QUOTES = "\"'"


def parse_string_list(text: str) -> list[str]:
    """Split on newlines and commas, as Komodo does for a string-list field.

    Blank lines and lines starting with ``#`` are dropped, text after ``" #"``
    is a comment, and every entry is trimmed; empty entries are dropped.
    """
    entries: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.split(" #", 1)[0]
        entries.extend(part.strip() for part in line.split(",") if part.strip())
    return entries


@dataclass(frozen=True)
class EnvLine:
    """One ``KEY=value`` line; ``truncated`` when a ``" #"`` cut the value."""

    line_offset: int
    key: str
    value: str
    truncated: bool


@dataclass(frozen=True)
class EnvError:
    """A line Komodo refuses; never carries the line's text (it may be secret)."""

    line_offset: int
    text_length: int
    reason: str


def parse_env_block(text: str) -> tuple[list[EnvLine], list[EnvError]]:
    """Read an env block the way Komodo's ``parse_key_value_list`` does.

    Accepts ``KEY=value``, ``KEY: value``, ``- KEY=value`` (YAML list),
    quotes around the line or the value, ``#`` and ``//`` comment lines, and
    ``" #"`` end-of-line comments. ``line_offset`` is 0-based within ``text``.
    Komodo fails the whole block on the first error; every error is listed.
    """
    lines: list[EnvLine] = []
    errors: list[EnvError] = []
    for offset, raw in enumerate(text.split("\n")):
        line = raw.strip()
        if not line or line.startswith(("#", "//")):
            continue
        parsed = _parse_line(offset, line)
        if parsed is None:
            reason = "missing assignment character ('=' or ':')"
            errors.append(EnvError(offset, len(raw), reason))
        else:
            lines.append(parsed)
    return lines, errors


def _parse_line(offset: int, line: str) -> EnvLine | None:
    body, hash_sep, _ = line.partition(" #")
    body = _unquote(body.strip().lstrip("-").strip())
    cut = _first_separator(body)
    if cut < 0:
        return None
    key, value = body[:cut].strip(), _unquote(body[cut + 1 :].strip()).strip()
    return EnvLine(offset, key, value, truncated=bool(hash_sep))


def _first_separator(body: str) -> int:
    found = [index for index in (body.find("="), body.find(":")) if index >= 0]
    return min(found, default=-1)


def _unquote(text: str) -> str:
    """Drop one leading quote and then, if present, one trailing quote."""
    if not text or text[0] not in _QUOTES:
        return text
    inner = text[1:]
    return inner[:-1] if inner and inner[-1] in _QUOTES else inner
