"""``komodo-guard explain RULE`` and ``komodo-guard rules``: the rules' own docs."""

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


def explain(rule: str) -> int:
    """Print the documentation of the rule named by code or name."""
    found = find(rule.strip())
    if found is None:
        raise UsageError(f"unknown rule {rule!r}{_suggestion(rule.strip())}")
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
