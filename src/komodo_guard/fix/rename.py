"""Rename one key in place: only the key token changes, at its exact column.

Works for a key on its own line, a quoted key (the quoting is kept), the last
part of a dotted key (``config.sever = ...``) and a key inside an inline
table. A key that opens a table header is left alone.
"""

from __future__ import annotations

import logging

from komodo_guard.fix.keys import read_key
from komodo_guard.fix.lines import split_lines
from komodo_guard.rules.interface import Edit
from komodo_guard.workspace.toml_file import TomlFile

log = logging.getLogger(__name__)


def rename(file: TomlFile, edit: Edit) -> str | None:
    """The text of ``file`` with the key renamed, or None when the key is not
    written where and as the edit says."""
    span = file.spans.get(edit.key)
    if file.text is None or span is None:
        return None
    if any(header.line == span.key_line for header in file.headers):
        log.debug(
            "%s:%d: `%s` is in a table header", file.path, span.key_line, edit.old
        )
        return None
    lines = split_lines(file.text)
    line = lines[span.key_line - 1]
    start = span.key_column - 1
    token = read_key(line, start)
    if token is None or token.name != edit.old:
        log.debug(
            "%s:%d: `%s` not found as written", file.path, span.key_line, edit.old
        )
        return None
    end = start + len(token.text)
    lines[span.key_line - 1] = line[:start] + token.spelled(edit.new) + line[end:]
    return "".join(lines)
