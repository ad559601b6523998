"""Env-block lines Komodo cannot parse, and values cut short by `` #``.

Stack and repo ``environment``, deployment ``environment``/``ports``/
``volumes``/``labels`` and build ``build_args``/``secret_args``/``labels`` are
read line by line by ``parsers.rs::parse_key_value_list`` (FACTS §1.4, S15):

* a line with neither ``=`` nor ``:`` fails the whole block, so the deploy or
  build fails (error);
* `` #`` starts a comment anywhere in a line, even inside quotes, so
  ``PASSWORD=abc #def`` gives ``abc`` (warning). A `` #`` followed by a space is
  read as a deliberate comment; one followed directly by text, or one inside an
  open quote, is reported. In the ``[{variable, value}]`` array form every
  `` #`` in a value is reported, as Komodo joins the array into the same text.

Findings point at the exact line and name the key only: values may be secret
and never appear in a message.

Failing::

    environment = \"\"\"
    PASSWORD=abc #def
    just-a-word
    \"\"\"

Passing::

    environment = \"\"\"
    PASSWORD=abc#def   # a comment after a space-hash-space
    \"\"\"
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.parsers import read_env_block
from komodo_guard.rules.content.fields import (
    FieldText,
    env_block_entries,
    env_block_texts,
)
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import ref
from komodo_guard.workspace.model import Workspace

_CUT = " #"
_HINT_CUT = (
    "remove the space before `#` (quoting does not help: Komodo cuts at ` #` "
    "before it looks at quotes)"
)


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Parse errors and cut values, in line order per field."""
    for resource in workspace.resources:
        for text in env_block_texts(resource):
            yield from _block(rule, text)
        for entry in env_block_entries(resource):
            cut = entry.value.text.find(_CUT)
            if cut >= 0:
                yield _cut_finding(rule, entry.value, entry.variable, cut)


def _block(rule: RuleInfo, text: FieldText) -> Iterator[Finding]:
    lines, errors = read_env_block(text.text)
    raw_lines = text.text.split("\n")
    starts = _line_starts(raw_lines)
    for error in errors:
        raw = raw_lines[error.line_offset]
        indent = len(raw) - len(raw.lstrip())
        yield rule.finding(
            f"this line of `{text.field}` in {text.resource.label} has no `=` "
            "or `:`; Komodo rejects the whole "
            "block, so the deploy fails",
            location=text.location(starts[error.line_offset] + indent),
            resource=ref(text.resource),
            hint="write it as KEY=value, or comment it out with `#`",
            severity=Severity.ERROR,
        )
    for line in lines:
        raw = raw_lines[line.line_offset]
        if line.truncated and _accidental_cut(raw):
            offset = starts[line.line_offset] + raw.index(_CUT)
            yield _cut_finding(rule, text, line.key, offset)


def _line_starts(raw_lines: list[str]) -> list[int]:
    starts, position = [], 0
    for raw in raw_lines:
        starts.append(position)
        position += len(raw) + 1
    return starts


def _accidental_cut(raw: str) -> bool:
    """True when the `` #`` of ``raw`` cuts a value rather than starting a comment."""
    kept, _, comment = raw.strip().partition(_CUT)
    glued = comment[:1] not in ("", " ", "\t", "#")
    open_quote = kept.count('"') % 2 == 1 or kept.count("'") % 2 == 1
    return glued or open_quote


def _cut_finding(rule: RuleInfo, text: FieldText, key: str, offset: int) -> Finding:
    return rule.finding(
        f"the value of `{key}` in `{text.field}` of {text.resource.label} is cut at "
        "` #`: Komodo reads ` #` as a comment and drops the rest of the value",
        location=text.location(offset),
        resource=ref(text.resource),
        hint=_HINT_CUT,
    )


RULE = RuleInfo(
    code="KG304",
    name="env-block",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
