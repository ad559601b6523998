"""``komodo-guard explain RULE`` and ``komodo-guard rules``: the rules' own docs.

``explain`` also knows ``KG000`` (``check-incomplete``): not a rule but the
finding komodo-guard itself reports when a check could not run. It appears in
every output format, so it is explained like a rule, but it is not registered
(no one can disable it, and ``rules`` does not list it).
"""

from __future__ import annotations

import difflib
import inspect

from komodo_guard.cli.main import UsageError
from komodo_guard.rules.interface import RuleBase
from komodo_guard.rules.registry import ALL_RULES, find


def _suggestion(key: str) -> str:
    keys = [rule.code for rule in ALL_RULES] + [rule.name for rule in ALL_RULES]
    close = difflib.get_close_matches(key, keys, n=3, cutoff=0.6)
    close += difflib.get_close_matches(key.upper(), keys, n=3, cutoff=0.6)
    unique = list(dict.fromkeys(close))[:3]
    if not unique:
        return "; `komodo-guard rules` lists them all"
    return "; did you mean " + " or ".join(f"`{key}`" for key in unique) + "?"


def describe(rule: RuleBase) -> str:
    """A rule's header (code, name, severity, class) and its documentation."""
    header = (
        f"{rule.code} {rule.name}\n"
        f"severity: {rule.severity.label}    class: {rule.failure_class.value}\n"
    )
    return f"{header}\n{inspect.cleandoc(rule.doc)}\n"


INCOMPLETE_KEYS = frozenset({"KG000", "CHECK-INCOMPLETE"})
INCOMPLETE = """KG000 check-incomplete
severity: error    class: incomplete

A check that could not run, so its part of the report is unknown.

komodo-guard never counts a check that could not run as passed. It reports
KG000 instead, naming what failed and why:

- a call to Komodo Core failed (unreachable, timed out, the API key was
  refused, an answer was malformed): the live checks that need that call
  did not happen;
- a rule crashed on input it did not expect: that rule's checks did not
  happen;
- on a Docker host, a git or Docker command could not run: the host checks
  that need it did not happen.

What to do: read the finding's message and hint, fix the cause (the Core
URL, the API key's permissions, the network, the host's git or Docker) and
run again. For a crashed rule, run with -v to see the trace and report it as
a komodo-guard bug. Until KG000 is gone, treat the area it names as
unchecked, not as clean.

KG000 makes the exit code 2 (could not complete), whatever --fail-on says.
It is not a rule: it cannot be disabled, and `komodo-guard rules` does not
list it.
"""


def explain(rule: str) -> int:
    """Print the documentation of the rule named by code or name, or what
    ``KG000`` means."""
    key = rule.strip()
    if key.upper() in INCOMPLETE_KEYS:
        print(INCOMPLETE, end="")
        return 0
    found = find(key)
    if found is None:
        raise UsageError(f"unknown rule {rule!r}{_suggestion(key)}")
    print(describe(found), end="")
    return 0


def rule_table(rules: tuple[RuleBase, ...]) -> str:
    """One aligned line per rule: code, name, severity, class, summary."""
    header = ("CODE", "NAME", "SEVERITY", "CLASS", "SUMMARY")
    rows = [header] + [
        (r.code, r.name, r.severity.label, r.failure_class.value, r.summary)
        for r in rules
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[-1]
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def list_rules() -> int:
    """Print every registered rule."""
    print(rule_table(ALL_RULES), end="")
    return 0
