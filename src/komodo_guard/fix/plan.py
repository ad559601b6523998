"""Plan the safe fixes of a lint run: each file's text before and after.

Edits come from findings (see :class:`komodo_guard.rules.interface.Edit`).
Within one file they are tried one at a time on the text the previous ones
left, each against a fresh parse, so positions are always current. An edit is
kept only when the new text parses and holds exactly the values it should
(:mod:`.expect`); otherwise it is dropped and the others still apply. Two
edits that would write the same key are both dropped: which value is meant
is for a human to say.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from komodo_guard.fix.diff import unified
from komodo_guard.fix.expect import expected
from komodo_guard.fix.move import move
from komodo_guard.fix.rename import rename
from komodo_guard.fix.write import write_all
from komodo_guard.rules.interface import Edit, Finding
from komodo_guard.workspace.headers import KeyPath
from komodo_guard.workspace.model import Workspace
from komodo_guard.workspace.toml_file import TomlFile, parse_toml

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileFix:
    """One file's text as read and as fixed, and the edits that made it."""

    path: str
    before: str
    after: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class FixPlan:
    """Every file ``lint --fix`` would change."""

    files: tuple[FileFix, ...] = ()

    @property
    def count(self) -> int:
        """How many edits the plan applies."""
        return sum(len(fix.edits) for fix in self.files)

    def diff(self, *, hide_secrets: bool = True) -> str:
        """A unified diff of every change, paths relative to the tree with
        git's ``a/`` and ``b/`` prefixes; empty when there is nothing to do.
        Secret-looking values are hidden unless ``hide_secrets`` is False."""
        return "".join(
            unified(fix.path, fix.before, fix.after, hide_secrets=hide_secrets)
            for fix in self.files
        )

    def apply(self, root: Path) -> None:
        """Write every fixed file under ``root``; :class:`~.write.FixError` when
        a file left the tree or changed since it was read (then none is written)."""
        write_all(root, [(fix.path, fix.before, fix.after) for fix in self.files])


def plan_fixes(findings: Sequence[Finding], workspace: Workspace) -> FixPlan:
    """The fixes of ``findings`` that are safe to apply to ``workspace``."""
    by_file: dict[str, list[Edit]] = {}
    for finding in findings:
        if finding.edit is not None:
            by_file.setdefault(finding.edit.location.path, []).append(finding.edit)
    files = {file.path: file for file in workspace.toml_files}
    fixes = (
        fix_file(files[path], edits)
        for path, edits in sorted(by_file.items())
        if path in files
    )
    return FixPlan(tuple(fix for fix in fixes if fix is not None))


def fix_file(file: TomlFile, edits: Iterable[Edit]) -> FileFix | None:
    """Apply ``edits`` to one file, keeping only those whose result checks out."""
    if file.text is None or file.data is None:
        return None
    current, applied = file, []
    for edit in _unambiguous(edits):
        fixed = attempt(current, edit)
        if fixed is not None:
            current = fixed
            applied.append(edit)
    if not applied or current.text is None:
        return None
    return FileFix(file.path, file.text, current.text, tuple(applied))


def attempt(file: TomlFile, edit: Edit) -> TomlFile | None:
    """``file`` parsed again after ``edit``, or None when the edit cannot be
    made or its result does not hold exactly the expected values."""
    text = rename(file, edit) if edit.into is None else move(file, edit)
    if text is None or file.data is None:
        return None
    fixed = parse_toml(file.path, text.encode("utf-8"), file.toml_spec)
    if fixed.data is None:
        log.warning("%s: not fixing `%s`: the result would not parse", *_at(edit))
        return None
    if fixed.data != expected(file.data, edit):
        log.warning("%s: not fixing `%s`: the result would change values", *_at(edit))
        return None
    return fixed


def _at(edit: Edit) -> tuple[str, str]:
    return f"{edit.location.path}:{edit.location.line}", edit.old


def _unambiguous(edits: Iterable[Edit]) -> list[Edit]:
    """The distinct edits, without those that write a key another one writes."""
    unique = list(dict.fromkeys(edits))
    written = Counter(_destination(edit) for edit in unique)
    return [edit for edit in unique if written[_destination(edit)] == 1]


def _destination(edit: Edit) -> KeyPath:
    return (*(edit.key[:-1] if edit.into is None else edit.into), edit.new)
