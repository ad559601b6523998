"""Deciding why one failed Update failed, from its operation and its log.

Only the stages that failed are read (Komodo stops a run at the first failed
stage; a finished but failed update with no failed stage is judged by its
last stage), through the compiled table of :mod:`komodo_guard.history.matcher`;
a stage's ``stdout`` is only searched when its ``stderr`` decided nothing.
The evidence kept is the decisive line, redacted: no other log text leaves
this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from komodo_guard.history.matcher import COMMAND, STAGE, TEXT, Row
from komodo_guard.history.model import Failure, IncidentKind
from komodo_guard.history.patterns import FIXED_KIND, OPERATION_KIND
from komodo_guard.komodo.updates import Log, Update
from komodo_guard.redact import cut, meaningful, redact, squeezed, untagged

LIMIT = 160
"""Longest evidence line, in characters."""


@dataclass(frozen=True)
class _Hit:
    """The best row found so far, and where: ``offset`` into ``text`` (the
    output without Komodo's colour spans) and the ``found`` text for a text
    match, -1 and "" when the stage or the command decided."""

    row: Row
    log: Log
    text: str = ""
    offset: int = -1
    found: str = ""

    def evidence(self) -> str:
        """The decisive line, stage first, redacted and cut so that the words
        that decided stay in view."""
        if self.offset < 0:
            return _summary(self.log)
        line = redact(f"{self.log.stage}: {_line_at(self.text, self.offset)}")
        found = squeezed(self.found)
        end = line.find(found) + len(found) if found in line else 0
        if len(line) > LIMIT and end > LIMIT - 1:
            prefix = f"{self.log.stage}: …"
            stop = min(end + 24, len(line))
            start = max(stop - LIMIT + len(prefix) + 1, len(self.log.stage) + 2)
            line = prefix + line[start:]
        return cut(line, LIMIT)


def _line_at(text: str, offset: int) -> str:
    """The line holding ``offset``; a line ending in ``:`` (git's "would be
    overwritten by merge:") is joined with the next meaningful one."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = squeezed(text[start : end if end >= 0 else len(text)])
    if end >= 0 and line.endswith(":"):
        rest = (squeezed(part) for part in text[end + 1 :].split("\n", 3))
        line = f"{line} {next((part for part in rest if meaningful(part)), '')}"
    return line


_ALARM = re.compile(
    r"(?i)\b(?:error|fatal|failed|failure|denied|refused|cannot|unable|not found)\b"
)


def _summary(log: Log) -> str:
    """A stage's first line that reports a failure (else its first meaningful
    line of output, else its command), stage first, redacted and cut."""
    for text in (log.stderr, log.stdout, log.command):
        lines = [squeezed(line) for line in untagged(text).splitlines()]
        line = next((line for line in lines if _ALARM.search(line)), None)
        line = line or next((line for line in lines if meaningful(line)), None)
        if line:
            return cut(redact(f"{log.stage}: {line}"), LIMIT)
    return cut(log.stage, LIMIT)


def _field_hits(log: Log) -> Iterator[_Hit]:
    """What each field of ``log`` says, text first: on equal rank a line of
    output is better evidence than a stage name."""
    for raw in (log.stderr, log.stdout):
        text = untagged(raw) if "<" in raw else raw
        found = TEXT.best(text, log.stage)
        if found is not None:
            row, match = found
            yield _Hit(row, log, text, match.start(), match[0])
            break
    for decided in (STAGE.full(log.stage), COMMAND.search(log.command)):
        if decided is not None:
            yield _Hit(decided, log)


def _best(logs: Iterable[Log]) -> _Hit | None:
    best: _Hit | None = None
    for log in logs:
        for hit in _field_hits(log):
            if best is None or hit.row.rank < best.row.rank:
                best = hit
        if best is not None and best.row.rank == 0:
            break
    return best


def deciding_logs(update: Update) -> tuple[Log, ...]:
    """The stages that failed, or the last stage when none is marked failed."""
    failed = tuple(log for log in update.logs if not log.success)
    return failed or update.logs[-1:]


def classify(update: Update) -> Failure:
    """The incident kind of a failed ``update`` and the line that shows it.

    Without logs the kind comes from the operation (``RunSync`` is a sync
    failure, ``RunProcedure``/``RunAction`` a procedure failure) and is
    marked ``inferred``; for any other operation it is ``other``, marked
    ``unread`` too, until :mod:`komodo_guard.history.build` infers it from
    the failures around it. The failure keeps the update without its logs:
    ``evidence`` is the only log text that leaves here.
    """
    if not update.logs:
        known = OPERATION_KIND.get(update.operation)
        if known is None:
            return Failure(update, IncidentKind.OTHER, inferred=True, unread=True)
        return Failure(update, known, inferred=True)
    fallback = OPERATION_KIND.get(update.operation, IncidentKind.OTHER)
    logs = deciding_logs(update)
    hit = _best(logs)
    kind = hit.row.pattern.kind if hit is not None else fallback
    kind = FIXED_KIND.get(update.operation, kind)
    evidence = hit.evidence() if hit is not None else _summary(logs[0])
    return Failure(replace(update, logs=()), kind, evidence)
