"""The one-line idiom for rule tests: files in, (path, line, column, code) out."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from komodo_guard.komodo.model import load
from komodo_guard.rules.engine import RuleSettings, run_rules
from komodo_guard.rules.interface import Finding, RuleInfo, RuleOptions
from komodo_guard.workspace.collect import collect

Hit = tuple[str, int, int, str]


def findings(
    root: Path,
    rule: RuleInfo,
    *,
    version: str | None = None,
    options: RuleOptions | None = None,
    disabled: Iterable[str] = (),
    repos: Iterable[str] = (),
) -> list[Finding]:
    """Run one rule over the tree at ``root``."""
    workspace = collect(root, load(version), repos=repos)
    settings = RuleSettings(disabled=frozenset(disabled))
    return run_rules(workspace, [rule], options or RuleOptions(), settings)


def hits(root: Path, rule: RuleInfo, **kwargs: object) -> list[Hit]:
    """(path, line, column, code) of each finding of one rule."""
    found = findings(root, rule, **kwargs)  # type: ignore[arg-type]
    return [
        (f.location.path, f.location.line, f.location.column, f.code)
        if f.location
        else ("", 0, 0, f.code)
        for f in found
    ]
