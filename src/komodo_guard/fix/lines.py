"""A file's text as lines, the way TOML counts them: only ``\\n`` ends a line.

Every line keeps its own ending (``\\n`` or ``\\r\\n``), so joining the lines
gives back the text byte for byte.
"""

from __future__ import annotations


def split_lines(text: str) -> list[str]:
    """``text`` as lines with their endings; the last may have none."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def newline_of(text: str) -> str:
    """The file's newline style: ``\\r\\n`` when it uses it, else ``\\n``."""
    return "\r\n" if "\r\n" in text else "\n"


def is_blank(line: str) -> bool:
    """True for a line of nothing but whitespace."""
    return not line.strip()


def is_comment(line: str) -> bool:
    """True for a line holding only a comment."""
    return line.lstrip().startswith("#")


def terminated(line: str, newline: str) -> str:
    """``line`` with a line ending, adding ``newline`` when it has none."""
    return line if line.endswith("\n") else line + newline


def with_final_newline(text: str, newline: str, *, final: bool) -> str:
    """``text`` ending in ``newline`` when ``final``, else without one."""
    stripped = text.removesuffix(newline) if text.endswith(newline) else text
    return stripped + newline if final and stripped else stripped
