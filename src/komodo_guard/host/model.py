"""The host's facts, collected once and handed frozen to the host rules.

Paths are absolute host paths; paths inside a checkout are relative POSIX
paths. Nothing here holds a secret: remote URLs are kept without their
credentials and container environment values only as keyed fingerprints.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PeripheryDirs:
    """Where Periphery keeps its checkouts, and how each folder was chosen."""

    root: str
    stacks: str
    repos: str
    builds: str
    source: str = "default"
    """``option``, ``environment``, ``config FILE`` or ``default``."""


@dataclass(frozen=True)
class Remote:
    """A remote of a checkout, its URL without any credentials."""

    name: str
    url: str
    credentials: bool
    """True when ``.git/config`` stores a user and password or token in the URL."""


@dataclass(frozen=True)
class Checkout:
    """One git checkout under Periphery's folders and what its next pull does.

    ``kind`` is ``stack``, ``repo`` or ``build`` (the folder it lies in) and
    ``name`` the resource folder's name, which Komodo names after the resource.
    ``upstream`` is the remote-tracking ref Komodo's pull brings in
    (``origin/main``), compared as it was after the fetch (or as already
    fetched with ``--offline``); empty when it does not exist or, for a
    detached HEAD, when ``origin/HEAD`` does not name a branch.
    """

    path: str
    kind: str
    name: str
    branch: str
    """The checked-out branch; empty when HEAD is detached."""
    head: str
    upstream: str = ""
    upstream_missing: bool = False
    """The branch is checked out but ``origin`` has no such branch."""
    ahead: int = 0
    """Commits in HEAD that the upstream does not have."""
    behind: int = 0
    """Commits in the upstream that HEAD does not have."""
    untracked_collisions: tuple[str, ...] = ()
    """Untracked paths the pull would have to overwrite: git refuses."""
    ignored_collisions: tuple[str, ...] = ()
    """Ignored paths the pull overwrites without a word."""
    modified: tuple[str, ...] = ()
    """Tracked files with local changes (staged or not)."""
    rebase_conflicts: tuple[str, ...] = ()
    """Files where replaying local commits on the upstream conflicts."""
    in_progress: str = ""
    """``rebase`` or ``merge`` when an earlier one was left unfinished."""
    remotes: tuple[Remote, ...] = ()
    unignored_env_files: tuple[str, ...] = ()
    """Komodo's written env files present, untracked and not gitignored."""
    fetched: bool = False

    @property
    def detached(self) -> bool:
        """HEAD points at a commit, not at a branch."""
        return not self.branch

    @property
    def blocked(self) -> bool:
        """The next pull fails: a collision, a conflict, an unfinished
        operation or a branch the remote does not have."""
        return bool(
            self.untracked_collisions
            or self.rebase_conflicts
            or self.in_progress
            or self.upstream_missing
        )


@dataclass(frozen=True)
class Mount:
    """A mount of a container: host source, container destination, type."""

    source: str
    destination: str
    kind: str = "bind"


@dataclass(frozen=True)
class EnvVar:
    """A container environment variable: its name and a keyed fingerprint of
    its value (empty when it has no value); never the value."""

    name: str
    fingerprint: str = ""


@dataclass(frozen=True)
class Container:
    """One container as the Docker Engine describes it, with the compose
    labels that tell who started it."""

    id: str
    name: str
    image: str
    state: str
    project: str = ""
    """``com.docker.compose.project``; empty outside compose."""
    service: str = ""
    working_dir: str = ""
    """``com.docker.compose.project.working_dir``: where compose ran."""
    swarm_service: str = ""
    komodo_skip: bool = False
    """Labelled ``komodo.skip`` (Komodo's own containers carry it)."""
    mounts: tuple[Mount, ...] = ()
    privileged: bool = False
    restart_count: int = 0
    restarting: bool = False
    env: tuple[EnvVar, ...] = ()


@dataclass(frozen=True)
class HostProblem:
    """A read that failed: which call, on what, and why (never a secret)."""

    call: str
    reason: str
    subject: str = ""


@dataclass(frozen=True)
class HostState:
    """Everything the host collectors found on one machine.

    ``checkouts`` is None when git was not inspected and ``containers`` None
    when the Docker Engine was not read (not asked for, or it failed: then
    ``problems`` says why). ``server`` is the name of this host's Komodo Server
    when known, ``docker_socket`` the socket the containers came from.
    """

    hostname: str
    dirs: PeripheryDirs | None = None
    checkouts: tuple[Checkout, ...] | None = None
    containers: tuple[Container, ...] | None = None
    problems: tuple[HostProblem, ...] = ()
    server: str = ""
    docker_socket: str = ""
    offline: bool = False
