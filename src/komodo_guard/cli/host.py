"""``komodo-guard host``: on a Docker host, checkouts that cannot pull, files
that would collide, containers outside GitOps, Docker socket mounts.

Reads Periphery's checkouts with plain ``git`` and the containers through the
Docker Engine's Unix socket, optionally compares them with Komodo Core (a
snapshot) and the GitOps tree at PATH, runs the host rules and writes the
report in any lint format; ``--textfile DIR`` also writes node-exporter
metrics. Exit codes as ``lint``: 0 clean, 1 findings at or above
``--fail-on``, 2 when a check could not run.
"""

from __future__ import annotations

import logging
import os
import posixpath
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from komodo_guard.cli.lint import default_format, render, use_colour
from komodo_guard.cli.main import UsageError
from komodo_guard.cli.run import (
    collect_tree,
    exit_code,
    load_settings,
    rule_options,
    rule_settings,
    threshold,
    write,
)
from komodo_guard.config import Config, ConfigError, load_config
from komodo_guard.host.checkouts import DEFAULT_JOBS
from komodo_guard.host.collect import HostOptions, collect_host
from komodo_guard.host.gitrun import DEFAULT_TIMEOUT
from komodo_guard.host.model import HostState
from komodo_guard.host.textfile import (
    HostMetrics,
    TextfileError,
    render_metrics,
    write_textfile,
)
from komodo_guard.report.interface import Format, LintResult, plural
from komodo_guard.rules.interface import FailureClass, Finding, HostFacts

if TYPE_CHECKING:
    from komodo_guard.cli.livecheck import CoreRead, LiveOptions
    from komodo_guard.workspace.model import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HostFlags:
    """What to read on the host, from the command line."""

    root: Path | None = None
    periphery_config: Path | None = None
    offline: bool = False
    git: bool = True
    docker: bool = True
    docker_socket: str | None = None
    server: str = ""
    jobs: int = DEFAULT_JOBS
    timeout: float = DEFAULT_TIMEOUT


def host(
    path: Path | None,
    *,
    config: Path | None,
    output: Path | None,
    fmt: str | None,
    fail_on: str | None,
    flags: HostFlags,
    textfile: Path | None = None,
    live: LiveOptions | None = None,
    komodo_version: str | None = None,
) -> int:
    """Check this host; 0 clean, 1 findings at or above the threshold, 2 when
    a check could not run. ``path`` is the GitOps tree to compare with,
    ``live`` how to reach Komodo Core (None: Core is not read)."""
    settings = _settings(path, config)
    read = _core(live, settings) if live is not None else None
    workspace = _tree(path, settings, komodo_version, read)
    state = _sourced(
        collect_host(_options(flags, workspace, settings)), flags, settings
    )
    facts = HostFacts(state, read.snapshot if read else None, workspace)
    findings = host_findings(facts, settings)
    root = _scanned_root(path, workspace, state)
    result = _result(root, state, findings, workspace, read)
    chosen = Format(fmt) if fmt else default_format()
    write(render(result, chosen, colour=output is None and use_colour()), output)
    if textfile is not None:
        try:
            write_textfile(textfile, render_metrics(host_metrics(facts, findings)))
        except TextfileError as error:
            raise UsageError(str(error)) from error
    return exit_code(result, threshold(fail_on, settings))


def host_findings(facts: HostFacts, settings: Config) -> list[Finding]:
    """Every enabled host rule over ``facts``."""
    from komodo_guard.rules.host import RULES
    from komodo_guard.rules.host.run import run_host_rules

    return run_host_rules(facts, RULES, rule_options(settings), rule_settings(settings))


def host_metrics(facts: HostFacts, findings: list[Finding]) -> HostMetrics:
    """The textfile numbers of one check."""
    from komodo_guard.rules.host.ownership import ownership
    from komodo_guard.rules.host.socket_mounted import socket_mount, socket_paths

    checkouts = facts.host.checkouts or ()
    containers = facts.host.containers or ()
    sockets = socket_paths(facts.host.docker_socket)
    return HostMetrics(
        checkouts_blocked=sum(checkout.blocked for checkout in checkouts),
        colliding_files=sum(
            len(c.untracked_collisions) + len(c.ignored_collisions) for c in checkouts
        ),
        unmanaged_containers=ownership(facts).unowned_containers,
        socket_mounts=sum(socket_mount(c, sockets) is not None for c in containers),
        success=not any(f.failure_class is FailureClass.INCOMPLETE for f in findings),
    )


def _settings(path: Path | None, config: Path | None) -> Config:
    if path is not None:
        return load_settings(path, config)
    try:
        return load_config(config)
    except ConfigError as error:
        raise UsageError(str(error)) from error


def _core(live: LiveOptions, settings: Config) -> CoreRead:
    from komodo_guard.cli.livecheck import core_client, read_core

    with core_client(live, settings) as client:
        return read_core(client, live)


def _tree(
    path: Path | None,
    settings: Config,
    komodo_version: str | None,
    read: CoreRead | None,
) -> Workspace | None:
    if path is None:
        return None
    version = read.snapshot.model_version if read else None
    workspace = collect_tree(path, settings, komodo_version, version)
    return workspace if workspace.resources else None


def _options(
    flags: HostFlags, workspace: Workspace | None, settings: Config
) -> HostOptions:
    """What to read: the flags, else ``[hosts]`` of the config (Periphery's
    root, the Docker socket), else what the host itself says."""
    return HostOptions(
        root=flags.root or settings.periphery_root,
        periphery_config=flags.periphery_config,
        git=flags.git,
        docker=flags.docker,
        offline=flags.offline,
        git_timeout=flags.timeout,
        docker_socket=flags.docker_socket or settings.docker_socket,
        jobs=flags.jobs,
        env_files=env_files(workspace) if workspace else {},
        server=flags.server,
    )


def _sourced(state: HostState, flags: HostFlags, settings: Config) -> HostState:
    """``state`` saying that Periphery's root came from the config file (the
    collector only knows it was given)."""
    if flags.root is not None or settings.periphery_root is None or not state.dirs:
        return state
    source = f"[hosts] periphery_root in {settings.source}"
    return replace(state, dirs=replace(state.dirs, source=source))


def env_files(workspace: Workspace) -> dict[tuple[str, str], tuple[str, ...]]:
    """Where each declared stack's env file lies in its checkout: the stack's
    folder (or its linked repo's) and ``run_directory``/``env_file_path``.
    Absolute paths lie outside any checkout and are left out."""
    from komodo_guard.komodo.names import normalize_name

    found: dict[tuple[str, str], set[str]] = {}
    for stack in workspace.of_kind("stack"):
        if not stack.name:
            continue
        config = stack.config
        relative = posixpath.normpath(
            posixpath.join(
                str(config.get("run_directory") or "."),
                str(config.get("env_file_path") or ".env"),
            )
        )
        if relative.startswith(("/", "../")) or relative == "..":
            continue
        repo = str(config.get("linked_repo") or "")
        owner = ("repo", normalize_name("repo", repo)) if repo else None
        key = owner or ("stack", normalize_name("stack", stack.name))
        found.setdefault(key, set()).add(relative)
    return {key: tuple(sorted(paths)) for key, paths in found.items()}


def _result(
    root: str,
    state: HostState,
    findings: list[Finding],
    workspace: Workspace | None,
    read: CoreRead | None,
) -> LintResult:
    from komodo_guard.komodo.versions import NEWEST

    if workspace is not None:
        version = str(workspace.model.version)
    elif read is not None and read.snapshot.model_version is not None:
        version = str(read.snapshot.model_version)
    else:
        version = str(NEWEST)
    files = len(workspace.toml_files) if workspace else 0
    resources = len(workspace.resources) if workspace else 0
    return LintResult(
        root=root,
        komodo_version=version,
        findings=tuple(findings),
        files_checked=files,
        resources=resources,
        notes=(describe(state),),
        live=read.summary if read else None,
        checked=checked(state, files, resources),
    )


def _scanned_root(
    path: Path | None, workspace: Workspace | None, state: HostState
) -> str:
    """What the findings' paths are under: the tree when one is compared,
    else Periphery's root (absolute, so reports can make paths relative)."""
    if path is not None and workspace is not None:
        return str(path)
    return os.path.abspath(state.dirs.root) if state.dirs is not None else ""


def checked(state: HostState, files: int = 0, resources: int = 0) -> str:
    """What the summary line says was checked: the checkouts and containers
    read on this host (and the tree's files and resources, when given)."""
    parts: list[str] = []
    if state.checkouts is not None:
        parts.append(plural(len(state.checkouts), "git checkout"))
    if state.containers is not None:
        parts.append(plural(len(state.containers), "container"))
    if files or resources:
        parts += [plural(files, "tree file"), plural(resources, "resource")]
    if not parts:
        return f"nothing checked on host {_name(state)}"
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{listed} checked on host {_name(state)}"


def describe(state: HostState) -> str:
    """One line on what was read on the host, and from where."""
    parts: list[str] = []
    if state.checkouts is not None and state.dirs is not None:
        fetched = "as last fetched" if state.offline else "after a fetch"
        parts.append(
            f"{plural(len(state.checkouts), 'git checkout')} under {state.dirs.root} "
            f"({state.dirs.source}), compared {fetched}"
        )
    if state.containers is not None:
        parts.append(
            f"{plural(len(state.containers), 'container')} from "
            f"unix://{state.docker_socket}"
        )
    read = "; ".join(parts) or "nothing could be read"
    return f"host {_name(state)}: {read}"


def _name(state: HostState) -> str:
    return state.server or state.hostname
