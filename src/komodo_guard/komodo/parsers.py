"""Komodo's own value parsers (``client/core/rs/src/parsers.rs``), pure.

``parse_string_list`` reads string-list fields given as one string;
``parse_env_block`` reads env blocks (``environment``, ``build_args``, ...),
and ``read_env_block`` is the same, parsed once per process for each text
(several rules and collectors read the same blocks).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

_QUOTES = "\"'"
_MISSING_ASSIGNMENT = "missing assignment character ('=' or ':')"

# Distinct env blocks remembered by ``read_env_block``: more than the blocks
# of a 10,000-resource tree, and a bound on memory for anything larger.
ENV_BLOCK_CACHE_SIZE = 32768


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


EnvBlock = tuple[tuple[EnvLine, ...], tuple[EnvError, ...]]


def command_lines(command: str) -> list[str]:
    """The lines Komodo keeps of a multi-line command (``pre_deploy.command``,
    ``compose_cmd_wrapper``): blank lines and ``#`` comments dropped, text
    after `` #`` cut."""
    kept = []
    for raw in command.split("\n"):
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            kept.append(line)
    return kept


def parse_env_block(text: str) -> tuple[list[EnvLine], list[EnvError]]:
    """Read an env block the way Komodo's ``parse_key_value_list`` does.

    Accepts ``KEY=value``, ``KEY: value``, ``- KEY=value`` (YAML list),
    quotes around the line or the value, ``#`` and ``//`` comment lines, and
    ``" #"`` end-of-line comments. ``line_offset`` is 0-based within ``text``.
    Komodo fails the whole block on the first error; every error is listed.
    """
    lines, errors = read_env_block(text)
    return list(lines), list(errors)


@functools.lru_cache(maxsize=ENV_BLOCK_CACHE_SIZE)
def read_env_block(text: str) -> EnvBlock:
    """:func:`parse_env_block` of ``text`` as tuples, parsed once per process."""
    lines: list[EnvLine] = []
    errors: list[EnvError] = []
    for offset, raw in enumerate(text.split("\n")):
        line = raw.strip()
        if not line or line[0] == "#" or line.startswith("//"):
            continue
        body, hash_sep, _ = line.partition(" #")
        body = _unquote(body.strip().lstrip("-").strip())
        cut = _first_separator(body)
        if cut < 0:
            errors.append(EnvError(offset, len(raw), _MISSING_ASSIGNMENT))
            continue
        key, value = body[:cut].strip(), _unquote(body[cut + 1 :].strip()).strip()
        lines.append(EnvLine(offset, key, value, bool(hash_sep)))
    return tuple(lines), tuple(errors)


def _first_separator(body: str) -> int:
    """The index of the first ``=`` or ``:``, -1 when there is neither."""
    equals = body.find("=")
    colon = body.find(":", 0, equals) if equals >= 0 else body.find(":")
    return colon if colon >= 0 else equals


def _unquote(text: str) -> str:
    """Drop one leading quote and then, if present, one trailing quote."""
    if not text or text[0] not in _QUOTES:
        return text
    inner = text[1:]
    return inner[:-1] if inner and inner[-1] in _QUOTES else inner
