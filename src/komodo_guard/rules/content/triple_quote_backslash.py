"""``\\\\`` inside a ``\"\"\"`` string, written for Komodo before 1.17.

Since 1.17 Komodo doubles every backslash between ``\"\"\"`` marks before it
parses a resource file (``sync/mod.rs::escape_between_triple_string``, PR #248),
so a backslash there is kept exactly as written, like in the UI. Files written
for older releases escape it as ``\\\\``, which now reaches the value as two
backslashes: a shell line continuation ``\\\\`` hands ``\\\\`` plus a newline to
the shell and the command breaks. Only reported for Komodo 1.17 and later.

One finding per string, at its first ``\\\\``, with the number of places.

Failing (1.17+)::

    on_pull = \"\"\"
    bash ./upload.sh \\\\
      release
    \"\"\"

Passing::

    on_pull = \"\"\"
    bash ./upload.sh \\
      release
    \"\"\"
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.model import Workspace
from komodo_guard.workspace.toml_file import TomlFile

_SINCE = KomodoVersion(1, 17, 0)
_TRIPLE = '"""'


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per triple-quoted string holding a double backslash."""
    if workspace.model.version < _SINCE:
        return
    for file in workspace.toml_files:
        if file.text is None or "\\\\" not in file.text or _TRIPLE not in file.text:
            continue
        yield from _file_findings(rule, file)


def _file_findings(rule: RuleInfo, file: TomlFile) -> Iterator[Finding]:
    assert file.text is not None
    keys = _keys_by_start(file)
    line, column = 1, 1
    pieces = file.text.split(_TRIPLE)
    for index, piece in enumerate(pieces):
        if index % 2 == 1 and "\\\\" in piece:
            opening = (line, column - len(_TRIPLE))
            yield _finding(rule, file, piece, (line, column), keys.get(opening))
        line, column = _advance(piece + _TRIPLE, line, column)


def _finding(
    rule: RuleInfo,
    file: TomlFile,
    piece: str,
    start: tuple[int, int],
    key: str | None,
) -> Finding:
    first = piece.index("\\\\")
    before = piece[:first]
    line = start[0] + before.count("\n")
    column = first - before.rfind("\n") if "\n" in before else start[1] + first
    places = _runs(piece)
    where = f"the value of `{key}`" if key else "a triple-quoted string"
    count = "" if places == 1 else f" ({places} places)"
    return rule.finding(
        f'`\\\\` in {where}{count}: since Komodo 1.17 backslashes between """ '
        "are kept as written, so this passes two backslashes on (a shell line "
        "continuation written `\\\\` breaks)",
        location=Location(file.path, line, column),
        hint="write a single backslash; the pre-1.17 `\\\\` escaping is no longer "
        "needed",
    )


def _runs(piece: str) -> int:
    """How many runs of two or more backslashes ``piece`` holds."""
    runs, length = 0, 0
    for char in piece + " ":
        if char == "\\":
            length += 1
            continue
        runs += length >= 2
        length = 0
    return runs


def _keys_by_start(file: TomlFile) -> dict[tuple[int, int], str]:
    """Key names (below ``config``) by the (line, column) where their value starts."""
    return {
        (span.value_line, span.value_column): _key_name(path)
        for path, span in file.spans.items()
    }


def _key_name(path: tuple[str | int, ...]) -> str:
    names = [key for key in path[1:] if isinstance(key, str)]
    if "config" in names:
        names = names[names.index("config") + 1 :]
    return ".".join(names)


def _advance(text: str, line: int, column: int) -> tuple[int, int]:
    newlines = text.count("\n")
    if newlines:
        return line + newlines, len(text) - text.rfind("\n")
    return line, column + len(text)


RULE = RuleInfo(
    code="KG305",
    name="triple-quote-backslash",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
