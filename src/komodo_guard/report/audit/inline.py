"""Finding messages quote keys and values in backticks (`file_paths`); renderers
keep those as code and escape everything else for their own format."""

from __future__ import annotations

import html
import re

_CODE = re.compile(r"`([^`\n]+)`")
# Characters that act mid-line: emphasis, inline HTML, entities, tables, and the
# ``(`` that would turn ``[text]`` into a link; brackets alone stay literal, so
# ``[[VARIABLE]]`` and ``[stack.config]`` read as written. An underscore matters
# only at a word's edge (``resource_path`` is safe in GitHub's Markdown).
_MARKDOWN_ACTIVE = re.compile(
    r"([\\`*<>|~&]|(?<=\])\(|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))"
)


def parts(text: str) -> list[tuple[bool, str]]:
    """``text`` on one line, cut into (is_code, piece) in order."""
    flat = " ".join(text.split())
    pieces: list[tuple[bool, str]] = []
    position = 0
    for match in _CODE.finditer(flat):
        if match.start() > position:
            pieces.append((False, flat[position : match.start()]))
        pieces.append((True, match.group(1)))
        position = match.end()
    if position < len(flat):
        pieces.append((False, flat[position:]))
    return pieces


def markdown(text: str, *, cell: bool = False) -> str:
    """``text`` as inline Markdown: code spans kept, every other character that
    Markdown or inline HTML would act on backslash-escaped. In a table ``cell``
    a ``|`` inside a code span is escaped too, as GitHub's tables need."""
    return "".join(
        _markdown_code(piece, cell) if is_code else _MARKDOWN_ACTIVE.sub(r"\\\1", piece)
        for is_code, piece in parts(text)
    )


def code(text: str, *, cell: bool = False) -> str:
    """``text`` as one Markdown code span, whatever backticks it holds."""
    return _markdown_code(" ".join(text.split()), cell)


def _markdown_code(piece: str, cell: bool) -> str:
    fence = "`"
    while fence in piece:
        fence += "`"
    padding = " " if piece.startswith("`") or piece.endswith("`") else ""
    if cell:
        piece = piece.replace("|", "\\|")
    return f"{fence}{padding}{piece}{padding}{fence}"


def to_html(text: str) -> str:
    """``text`` as inline HTML: code spans as ``<code>``, everything escaped."""
    return "".join(
        f"<code>{html.escape(piece)}</code>" if is_code else html.escape(piece)
        for is_code, piece in parts(text)
    )
