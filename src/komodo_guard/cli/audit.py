"""``komodo-guard audit``: the written audit of a GitOps tree (Markdown or HTML),
with Komodo Core's live state and incident history when ``--komodo`` or
``--demo`` is given."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from komodo_guard.cli.main import UsageError
from komodo_guard.cli.run import exit_code, lint_tree, load_settings, threshold, write
from komodo_guard.report.audit import AuditFormat, render

if TYPE_CHECKING:
    from komodo_guard.cli.livecheck import CoreRead, LiveOptions
    from komodo_guard.config import Config
    from komodo_guard.history.model import History

_SUFFIXES = (".md", ".markdown", ".html", ".htm")


def audit(
    path: Path,
    *,
    komodo_version: str | None,
    config: Path | None,
    output: Path | None,
    fmt: str | None,
    fail_on: str | None,
    live: LiveOptions | None = None,
) -> int:
    """Audit the tree at ``path`` (and Core, when ``live`` names ``--komodo``
    or ``--demo``); exit codes as ``lint``: 0 clean, 1 findings at or above
    the threshold, 2 a check could not run."""
    live = _reaching_core(live)
    settings = load_settings(path, config)
    if fmt is None and output is not None and output.suffix.lower() not in _SUFFIXES:
        raise UsageError(
            f"{output}: cannot tell the report format from the suffix "
            f"{output.suffix or '(none)'!r}; name it .md or .html, or pass --format"
        )
    chosen = AuditFormat(fmt) if fmt else AuditFormat.for_output(output)
    read = None
    if live is not None:
        settings = _with_inventory(settings, live)
        read = _read(live, settings)
    core_version = read.snapshot.model_version if read is not None else None
    checked = lint_tree(path, settings, komodo_version, core_version=core_version)
    result = checked.result
    history = None
    if read is not None:
        from komodo_guard.cli.livecheck import live_findings

        found = live_findings(read, checked.workspace, settings)
        result = dataclasses.replace(
            result, findings=result.findings + tuple(found), live=read.summary
        )
        history = read.history
    timeline_file = _timeline(history, output) if chosen is AuditFormat.MARKDOWN else ""
    name = path.resolve().name or str(path)
    text = render(
        result, chosen, name=name, history=history, timeline_file=timeline_file
    )
    write(text, output)
    return exit_code(result, threshold(fail_on, settings))


def _reaching_core(live: LiveOptions | None) -> LiveOptions | None:
    """``live`` when it says how to reach Core, else None; a usage error when
    it gives ``--inventory`` without saying so (the inventory is only ever
    compared with Core's Servers)."""
    if live is None or live.komodo or live.demo:
        return live
    if live.inventory is not None:
        raise UsageError(
            f"--inventory {live.inventory}: the inventory is compared with "
            "Core's Servers, so it needs --komodo URL or --demo"
        )
    return None


def _with_inventory(settings: Config, live: LiveOptions) -> Config:
    from komodo_guard.cli.livecheck import with_inventory

    return with_inventory(settings, live)


def _read(live: LiveOptions, settings: Config) -> CoreRead:
    from komodo_guard.cli.livecheck import core_client, read_core

    with core_client(live, settings) as client:
        return read_core(client, live)


def _timeline(history: History | None, output: Path | None) -> str:
    """Write the timeline SVG beside a Markdown report file and return its
    name; ``""`` (inline it) when writing to standard output or a non-file."""
    if history is None or not history.failures or output is None:
        return ""
    if output.exists() and not output.is_file():
        return ""
    from komodo_guard.report import timeline

    picture = output.with_name(f"{output.stem}-timeline.svg")
    write(timeline.render(history), picture)
    return picture.name
