"""``komodo-guard lint``: static checks of a GitOps tree."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from komodo_guard.cli.run import exit_code, lint_tree, load_settings, threshold, write
from komodo_guard.report.interface import Format, LintResult


def lint(
    path: Path,
    *,
    komodo_version: str | None,
    config: Path | None,
    output: Path | None,
    fmt: str | None,
    fail_on: str | None,
) -> int:
    """Lint the tree at ``path``; 0 clean, 1 findings at or above the threshold."""
    settings = load_settings(path, config)
    result = lint_tree(path, settings, komodo_version)
    chosen = Format(fmt) if fmt else default_format()
    write(render(result, chosen, colour=output is None and use_colour()), output)
    return exit_code(result, threshold(fail_on, settings))


def default_format() -> Format:
    """GitHub annotations inside GitHub Actions, text elsewhere."""
    return Format.GITHUB if os.environ.get("GITHUB_ACTIONS") == "true" else Format.TEXT


def use_colour() -> bool:
    """Colour on a terminal unless ``NO_COLOR`` is set or ``TERM=dumb``."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def render(result: LintResult, fmt: Format, *, colour: bool = False) -> str:
    """Render ``result`` in ``fmt``; every Format member has a branch."""
    from komodo_guard.report import (
        github_format,
        json_format,
        sarif_format,
        text_format,
    )

    match fmt:
        case Format.TEXT:
            return text_format.render(result, colour=colour)
        case Format.GITHUB:
            return github_format.render(result)
        case Format.JSON:
            return json_format.render(result)
        case Format.SARIF:
            return sarif_format.render(result)
