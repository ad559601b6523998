"""A finding's identity: the same problem gets the same key in every cycle.

Live findings say how long something has lasted ("pending for 3 days 4
hours"), when it began, how many runs failed and which commit is deployed.
Those parts change from one cycle to the next while the problem stays the
same, so :func:`identity` keys a finding by its rule code, its resource, the
file it points at (not the line: lines move when the file is edited) and its
message with the volatile parts replaced by placeholders (:func:`normalise`).
Quoted text (names, keys, paths) is kept as written, so two findings of one
rule about ``'web2'`` and ``'web3'`` stay apart.

A finding that says a check could not run (class ``incomplete``) is keyed by
what could not be checked, the message before its first ``": "``, not by why:
"timed out" in one cycle and "connection refused" in the next are the same
blind spot.
"""

from __future__ import annotations

import hashlib
import json
import re

from komodo_guard.rules.interface import FailureClass, Finding

_QUOTED = re.compile(r"(?<!\w)'[^'\n]*'(?!\w)|\"[^\"\n]*\"|`[^`\n]*`")
_DATETIME = re.compile(
    r"\b\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2}|\s?UTC)?"
)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_UNIT = (
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|mins?|seconds?|secs?"
    r"|ms|[smhd])"
)
_DURATION = re.compile(
    rf"(?:\b\d+(?:\.\d+)?\s?{_UNIT}\b(?:,?\s(?:and\s)?(?=\d))?)+"
    r"|\bless than a minute\b"
)
_HASH = re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
_PLURAL = re.compile(r"\b([a-z]{2,}[a-rt-z])s\b")
_SPACES = re.compile(r"\s+")


def identity(finding: Finding) -> str:
    """``CODE:subject:digest``, stable while the finding's problem lasts.

    The subject is ``kind/name`` of the resource, else the file's path, else
    ``-``, so the key is readable in logs and in a snooze command; the digest
    covers code, resource, path and the normalised message.
    """
    resource = finding.resource
    path = finding.location.path if finding.location else ""
    parts = [
        finding.code,
        resource.kind if resource else "",
        resource.name if resource else "",
        path,
        normalise(_subject_text(finding)),
    ]
    digest = hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:12]
    if resource is not None:
        subject = f"{resource.kind}/{resource.name}"
    else:
        subject = path or "-"
    return f"{finding.code}:{subject}:{digest}"


def normalise(message: str) -> str:
    """``message`` with times, durations, hashes and counts as placeholders.

    Plural words lose their ``s`` ("1 failed run", "3 failed runs"). Text in
    quotes is kept; so is a number glued to a word or a dot (``KG1001``,
    ``v2.3``), which names something rather than counts it.
    """
    pieces: list[str] = []
    start = 0
    for quoted in _QUOTED.finditer(message):
        pieces.append(_volatile_out(message[start : quoted.start()]))
        pieces.append(quoted.group())
        start = quoted.end()
    pieces.append(_volatile_out(message[start:]))
    return _SPACES.sub(" ", "".join(pieces)).strip()


def could_not_check(finding: Finding) -> bool:
    """Whether ``finding`` says a check could not run (``KG000``, class
    ``incomplete``) rather than reporting a problem."""
    return finding.failure_class is FailureClass.INCOMPLETE


def _subject_text(finding: Finding) -> str:
    if could_not_check(finding):
        what, _, _ = finding.message.partition(": ")
        return what
    return finding.message


def _volatile_out(text: str) -> str:
    text = _DATETIME.sub("<time>", text)
    text = _CLOCK.sub("<time>", text)
    text = _DURATION.sub("<duration>", text)
    text = _HASH.sub("<hash>", text)
    text = _NUMBER.sub("<n>", text)
    return _PLURAL.sub(r"\1", text)
