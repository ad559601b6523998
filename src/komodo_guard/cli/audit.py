"""``komodo-guard audit``: the written audit of a GitOps tree (Markdown or HTML)."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.cli.main import UsageError
from komodo_guard.cli.run import exit_code, lint_tree, load_settings, threshold, write
from komodo_guard.report.audit import AuditFormat, render

_SUFFIXES = (".md", ".markdown", ".html", ".htm")


def audit(
    path: Path,
    *,
    komodo_version: str | None,
    config: Path | None,
    output: Path | None,
    fmt: str | None,
    fail_on: str | None,
) -> int:
    """Audit the tree at ``path``; exit codes as ``lint``: 0 clean, 1 findings at
    or above the threshold."""
    settings = load_settings(path, config)
    result = lint_tree(path, settings, komodo_version).result
    if fmt is None and output is not None and output.suffix.lower() not in _SUFFIXES:
        raise UsageError(
            f"{output}: cannot tell the report format from the suffix "
            f"{output.suffix or '(none)'!r}; name it .md or .html, or pass --format"
        )
    chosen = AuditFormat(fmt) if fmt else AuditFormat.for_output(output)
    write(render(result, chosen, name=path.resolve().name or str(path)), output)
    return exit_code(result, threshold(fail_on, settings))
