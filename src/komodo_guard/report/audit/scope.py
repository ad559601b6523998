"""The words of the audit's scope table and verdict, shared by both renderers.

Values quote paths and names in backticks; each renderer turns those into code.
"""

from __future__ import annotations

from komodo_guard.report.audit.model import Audit, FixFirst
from komodo_guard.report.audit.priority import Priority
from komodo_guard.report.interface import LintResult, ScopeSummary, plural

LISTED = 3
"""Most files, and most other places, one Fix first line names."""

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
        ("Checks run", _checks_run(audit)),
    ]
    if result.notes:
        rows.append(("Notes", "; ".join(result.notes)))
    return rows


def _checks_run(audit: Audit) -> str:
    if audit.result.live is None:
        return "static checks of the files in the tree; see What remains"
    return (
        "static checks of the files in the tree, live checks of Komodo Core "
        "against them, and the history of Core's update log; see Komodo Core "
        "and What remains"
    )


def byline(audit: Audit, version: str) -> str:
    """Who wrote the audit, from what."""
    result = audit.result
    line = (
        f"Written by komodo-guard {version} from static checks of the tree "
        f"against Komodo {result.komodo_version}"
    )
    if result.live is None:
        return line + "."
    return (
        f"{line}, and from what {result.live.core} reported, with its update "
        f"log of the last {plural(result.live.window_days, 'day')}."
    )


def remaining_intro(audit: Audit) -> str:
    """The sentence before the What remains table."""
    read = "the files of the tree and nothing else"
    if audit.result.live is not None:
        read = "the files of the tree and Komodo Core's API, nothing else"
    return (
        f"This audit read {read}. These parts were not checked, so none of them passed:"
    )


def verdict(audit: Audit) -> str:
    """The executive summary's first sentence or two."""
    counts = audit.by_priority()
    hidden = len(audit.result.suppressed)
    suppressed = f" {hidden} more suppressed by the operator." if hidden else ""
    if not audit.groups:
        return (
            f"No findings from {_checks(audit)}." + suppressed + " That is not "
            f"a clean bill of health: {_unchecked(audit)} were not checked (see "
            "What remains)."
        )
    parts = ", ".join(f"{counts[p]} {p.label} ({p.meaning})" for p in Priority)
    total = plural(sum(counts.values()), "finding")
    return f"{total} to act on: {parts}.{suppressed}"


def _checks(audit: Audit) -> str:
    if audit.result.live is None:
        return "the static checks of this tree"
    return "the static checks of this tree or the live checks of Komodo Core"


def _unchecked(audit: Audit) -> str:
    if audit.result.live is None:
        return "the live state, the hosts and the secret stores"
    return "the hosts and the secret stores"


def sentence(text: str) -> str:
    """``text`` ending with a full stop, so sentences can follow it."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def where(bundle: FixFirst) -> str:
    """``in `a.toml` and for deployment 'x'``: the files of the findings
    that have one, then where the others apply; empty when neither is known."""
    parts = []
    if bundle.files:
        files = _listed([f"`{path}`" for path in bundle.files], "file")
        parts.append(f"in {files}")
    if bundle.others:
        parts.append(f"for {_listed(list(bundle.others), 'other')}")
    return " and ".join(parts)


def _listed(names: list[str], noun: str) -> str:
    shown = ", ".join(names[:LISTED])
    more = len(names) - LISTED
    return f"{shown} and {plural(more, 'more ' + noun)}" if more > 0 else shown
