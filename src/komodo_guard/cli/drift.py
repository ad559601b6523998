"""``komodo-guard drift``: what git declares against what Komodo Core runs."""

from __future__ import annotations

import logging
from pathlib import Path

from komodo_guard.cli.lint import default_format, render, use_colour
from komodo_guard.cli.livecheck import (
    LiveOptions,
    core_client,
    live_findings,
    read_core,
    with_inventory,
)
from komodo_guard.cli.run import (
    collect_tree,
    exit_code,
    load_settings,
    threshold,
    write,
)
from komodo_guard.report.interface import Format, LintResult

log = logging.getLogger(__name__)


def drift(
    path: Path,
    *,
    komodo_version: str | None,
    config: Path | None,
    output: Path | None,
    fmt: str | None,
    fail_on: str | None,
    live: LiveOptions,
) -> int:
    """Report the live findings of Core, compared with the tree at ``path``
    when it declares resources; 0 no drift, 1 drift at or above the
    threshold, 2 could not check."""
    settings = with_inventory(load_settings(path, config), live)
    with core_client(live, settings) as client:
        read = read_core(client, live)
    workspace = collect_tree(
        path, settings, komodo_version, read.snapshot.model_version
    )
    notes: tuple[str, ...] = ()
    declared = workspace if workspace.resources else None
    if declared is None:
        notes = (
            f"{path} declares no Komodo resources, so git was not compared with "
            "Core; give the root of your GitOps tree as PATH to compare them",
        )
        log.info("%s", notes[0])
    result = LintResult(
        root=str(path) if declared is not None else "",
        komodo_version=str(workspace.model.version),
        findings=tuple(live_findings(read, declared, settings)),
        files_checked=len(workspace.toml_files) if declared is not None else 0,
        resources=len(workspace.resources),
        notes=notes,
        live=read.summary,
    )
    chosen = Format(fmt) if fmt else default_format()
    write(render(result, chosen, colour=output is None and use_colour()), output)
    return exit_code(result, threshold(fail_on, settings))
