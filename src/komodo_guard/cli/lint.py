"""``komodo-guard lint``: static checks of a GitOps tree."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from komodo_guard.cli.main import UsageError
from komodo_guard.cli.run import (
    Checked,
    exit_code,
    lint_tree,
    load_settings,
    threshold,
    write,
)
from komodo_guard.config import Config
from komodo_guard.report.interface import Format, LintResult


def lint(
    path: Path,
    *,
    komodo_version: str | None,
    config: Path | None,
    output: Path | None,
    fmt: str | None,
    fail_on: str | None,
    baseline: Path | None = None,
    write_baseline: Path | None = None,
    fix: bool = False,
    diff: bool = False,
) -> int:
    """Lint the tree at ``path``; 0 clean, 1 findings at or above the threshold.

    ``write_baseline`` records today's findings so later runs report only new
    ones; ``fix`` applies the safe edits, ``diff`` prints them without writing.
    """
    settings = load_settings(path, config)
    checked = lint_tree(path, settings, komodo_version, baseline=baseline)
    result = checked.result
    if write_baseline is not None:
        from komodo_guard.rules.baseline import Baseline, BaselineError

        try:
            Baseline.write(result.active, write_baseline)
        except BaselineError as error:
            raise UsageError(str(error)) from error
        print(
            f"komodo-guard: wrote {len(result.active)} findings to {write_baseline}",
            file=sys.stderr,
        )
        return 0
    if fix or diff:
        return apply_fixes(checked, path, settings, komodo_version, write=fix)
    chosen = Format(fmt) if fmt else default_format()
    write(render(result, chosen, colour=output is None and use_colour()), output)
    return exit_code(result, threshold(fail_on, settings))


def apply_fixes(
    checked: Checked,
    path: Path,
    settings: Config,
    komodo_version: str | None,
    *,
    write: bool,
) -> int:
    """Print the safe fixes as a diff, and apply them when ``write`` is set."""
    from komodo_guard.fix import FixError, plan_fixes

    plan = plan_fixes(checked.result.active, checked.workspace)
    sys.stdout.write(plan.diff())
    if not write:
        print(f"komodo-guard: {plan.count} fixes available", file=sys.stderr)
        return 1 if plan.count else 0
    try:
        plan.apply(path)
    except FixError as error:
        raise UsageError(str(error)) from error
    print(f"komodo-guard: applied {plan.count} fixes", file=sys.stderr)
    after = lint_tree(path, settings, komodo_version).result
    return exit_code(after, threshold(None, settings))


def default_format() -> Format:
    """GitHub annotations inside GitHub Actions, text elsewhere."""
    return Format.GITHUB if os.environ.get("GITHUB_ACTIONS") == "true" else Format.TEXT


def use_colour() -> bool:
    """Colour on a terminal unless ``NO_COLOR`` is set or ``TERM=dumb``."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def render(result: LintResult, fmt: Format, *, colour: bool = False) -> str:
    """Render ``result`` in ``fmt``; every Format member has a branch. Each
    renderer is imported only when chosen."""
    match fmt:
        case Format.TEXT:
            from komodo_guard.report import text_format

            return text_format.render(result, colour=colour)
        case Format.GITHUB:
            from komodo_guard.report import github_format

            return github_format.render(result)
        case Format.JSON:
            from komodo_guard.report import json_format

            return json_format.render(result)
        case Format.SARIF:
            from komodo_guard.report import sarif_format

            return sarif_format.render(result)
        case Format.JUNIT:
            from komodo_guard.report import junit_format

            return junit_format.render(result)
