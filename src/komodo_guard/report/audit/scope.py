"""The words of the audit's scope table and verdict, shared by both renderers.

Values quote paths and names in backticks; each renderer turns those into code.
"""

from __future__ import annotations

from komodo_guard.report.audit.model import Audit
from komodo_guard.report.audit.priority import Priority
from komodo_guard.report.interface import LintResult, ScopeSummary, plural

UNKNOWN_REPO = (
    "not known: no git remote, no `[tree] repos` in the config, and no sync or "
    "stack of the tree names it; paths are checked only for resources known to "
    "deploy from this tree"
)


def _sync(scope: ScopeSummary) -> str:
    files = plural(scope.files, "file")
    if scope.declared_at:
        return f"`{scope.name}` reads {files} (declared in `{scope.declared_at}`)"
    return f"no sync declared for this tree: its {files} of resources count as one set"


def _syncs(result: LintResult) -> str:
    if not result.scopes:
        return "none: the tree holds no resource files"
    return "; ".join(_sync(scope) for scope in result.scopes)


def scope_rows(audit: Audit) -> list[tuple[str, str]]:
    """(label, value) rows: what was audited and how the repository was learned."""
    result = audit.result
    rows = [
        ("Tree", f"`{result.root}`"),
        ("Komodo version", f"{result.komodo_version} (its fields and TOML dialect)"),
        ("Resource files read", str(result.files_checked)),
        ("Resources declared", str(result.resources)),
        ("Syncs", _syncs(result)),
        ("Repository", result.repo_evidence or UNKNOWN_REPO),
        ("Checks run", "static checks of the files in the tree; see What remains"),
    ]
    if result.notes:
        rows.append(("Notes", "; ".join(result.notes)))
    return rows


def verdict(audit: Audit) -> str:
    """The executive summary's first sentence or two."""
    counts = audit.by_priority()
    hidden = len(audit.result.suppressed)
    suppressed = f" {hidden} more suppressed by the operator." if hidden else ""
    if not audit.groups:
        return (
            "No findings from the static checks of this tree." + suppressed + " That "
            "is not a clean bill of health: the live state, the hosts and the secret "
            "stores were not checked (see What remains)."
        )
    parts = ", ".join(f"{counts[p]} {p.label} ({p.meaning})" for p in Priority)
    total = plural(sum(counts.values()), "finding")
    return f"{total} to act on: {parts}.{suppressed}"


def sentence(text: str) -> str:
    """``text`` ending with a full stop, so sentences can follow it."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else f"{text}."
