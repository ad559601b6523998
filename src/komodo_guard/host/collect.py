"""Collect one host's facts: Periphery's folders, its checkouts, its containers.

All of the host's I/O happens here (through :mod:`.checkouts` and
:mod:`.docker`); the result is a frozen :class:`HostState` for the host rules.
What could not be read is recorded in ``HostState.problems``, never skipped.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from komodo_guard.host.checkouts import (
    DEFAULT_JOBS,
    CheckoutOptions,
    find_checkouts,
    inspect_checkouts,
)
from komodo_guard.host.docker import (
    DEFAULT_TIMEOUT as DOCKER_TIMEOUT,
)
from komodo_guard.host.docker import (
    DockerError,
    docker_socket,
    read_containers,
)
from komodo_guard.host.gitrun import DEFAULT_TIMEOUT as GIT_TIMEOUT
from komodo_guard.host.model import HostProblem, HostState
from komodo_guard.host.periphery import PeripheryConfigError, periphery_dirs
from komodo_guard.live.fingerprint import new_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HostOptions:
    """What to read on this host and how.

    ``git`` and ``docker`` switch the two collectors; ``server`` is this
    host's Komodo Server name when the operator knows it better than the
    hostname does.
    """

    root: Path | None = None
    periphery_config: Path | None = None
    git: bool = True
    docker: bool = True
    offline: bool = False
    git_timeout: float = GIT_TIMEOUT
    docker_socket: str | None = None
    docker_timeout: float = DOCKER_TIMEOUT
    jobs: int = DEFAULT_JOBS
    env_files: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    server: str = ""


def collect_host(
    options: HostOptions,
    *,
    fingerprint_key: bytes | None = None,
    environ: Mapping[str, str] | None = None,
) -> HostState:
    """Read this host once: the containers in a background thread while the
    checkouts are inspected. ``fingerprint_key`` keys the fingerprints of
    container environment values (a fresh random key when not given)."""
    state = HostState(
        hostname=socket.gethostname(), server=options.server, offline=options.offline
    )
    with ThreadPoolExecutor(max_workers=1) as background:
        docker = None
        if options.docker:
            key = fingerprint_key or new_key()
            docker = background.submit(_containers, options, key, environ)
        git = _checkouts(options, environ) if options.git else _Read(state)
        read = docker.result() if docker is not None else _Read(git.state)
    return replace(
        git.state,
        containers=read.state.containers,
        docker_socket=read.state.docker_socket,
        problems=git.problems + read.problems,
    )


@dataclass(frozen=True)
class _Read:
    """What one collector added to a host state, and what it could not read."""

    state: HostState
    problems: tuple[HostProblem, ...] = ()


def _checkouts(options: HostOptions, environ: Mapping[str, str] | None) -> _Read:
    state = HostState(
        hostname=socket.gethostname(), server=options.server, offline=options.offline
    )
    try:
        dirs = periphery_dirs(options.root, options.periphery_config, environ)
    except PeripheryConfigError as error:
        return _Read(state, (HostProblem("Periphery config", str(error)),))
    log.info("Periphery's root directory: %s (%s)", dirs.root, dirs.source)
    if not os.path.isdir(dirs.root):
        # A mistyped root must not pass as "no checkouts, nothing wrong".
        problem = HostProblem(
            "Periphery root directory",
            f"{dirs.root} (from the {dirs.source}) is not a folder on this host",
        )
        return _Read(replace(state, dirs=dirs), (problem,))
    checkouts, problems = inspect_checkouts(
        find_checkouts(dirs),
        CheckoutOptions(
            offline=options.offline,
            timeout=options.git_timeout,
            jobs=options.jobs,
            env_files=options.env_files,
        ),
    )
    return _Read(replace(state, dirs=dirs, checkouts=checkouts), problems)


def _containers(
    options: HostOptions, key: bytes, environ: Mapping[str, str] | None
) -> _Read:
    state = HostState(hostname="")
    try:
        path = docker_socket(options.docker_socket, environ)
    except DockerError as error:
        return _Read(state, (HostProblem(error.call, error.reason),))
    containers, problems = read_containers(
        path, key, timeout=options.docker_timeout, jobs=options.jobs
    )
    return _Read(replace(state, containers=containers, docker_socket=path), problems)
