"""Who started a container: a Komodo stack, a Komodo deployment, or nobody
Komodo knows.

Komodo sets no label of its own (FACTS §6.2; ``bin/periphery``): a stack runs
``docker compose -p <project>``, where the project is the stack's
``project_name`` or else its name, from ``<stack_dir>/<stack>`` or
``<repo_dir>/<repo>``; a deployment runs ``docker run --name <deployment>``.
So a compose project is Komodo's when its name is a stack's project name, or
when compose ran it from inside Periphery's stack or repo folder (the
``com.docker.compose.project.working_dir`` label); a plain container is
Komodo's when its name is a deployment's name. Stacks and deployments come
from Core's snapshot and from the tree, limited to this host's Server when
that name is among Core's (or the tree's) servers.

Left out: containers labelled ``komodo.skip`` (Komodo's own Core, Periphery
and database carry it) and swarm tasks (swarm owns them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from komodo_guard.host.model import Container
from komodo_guard.komodo.names import normalize_name
from komodo_guard.rules.interface import HostFacts, ResourceRef


@dataclass(frozen=True)
class Unowned:
    """Containers no Komodo resource owns: one compose project, or one plain
    container (``project`` empty)."""

    project: str
    containers: tuple[Container, ...]
    working_dir: str = ""


@dataclass(frozen=True)
class Ownership:
    """The verdict over every container of the host."""

    unowned: tuple[Unowned, ...]
    undecided: tuple[Container, ...]
    """Plain containers with no deployment list to compare against."""
    sources: str
    """What the names came from, for messages: ``Core and the tree``."""

    @property
    def unowned_containers(self) -> int:
        """How many containers no Komodo resource owns."""
        return sum(len(group.containers) for group in self.unowned)


def ownership(facts: HostFacts) -> Ownership:
    """Which containers no Komodo stack or deployment owns."""
    containers = [c for c in facts.host.containers or () if _judged(c)]
    projects = _names(facts, "stack")
    deployments = _names(facts, "deployment")
    folders = _folders(facts)
    unowned: list[Unowned] = []
    undecided: list[Container] = []
    for project, members in _by_project(containers):
        if project:
            working_dir = members[0].working_dir
            if project not in (projects or ()) and not _inside(working_dir, folders):
                unowned.append(Unowned(project, members, working_dir))
        elif deployments is None:
            undecided.extend(members)
        else:
            unowned.extend(
                Unowned("", (c,)) for c in members if c.name not in deployments
            )
    return Ownership(tuple(unowned), tuple(undecided), _sources(facts))


def owner_of(facts: HostFacts, container: Container) -> ResourceRef | None:
    """The stack (by project) or deployment (by name) a container belongs
    to, by Komodo's naming alone."""
    if container.project:
        return ResourceRef("stack", container.project)
    deployments = _names(facts, "deployment")
    if deployments is not None and container.name in deployments:
        return ResourceRef("deployment", container.name)
    return None


def _judged(container: Container) -> bool:
    return not (container.komodo_skip or container.swarm_service)


def _by_project(
    containers: Iterable[Container],
) -> list[tuple[str, tuple[Container, ...]]]:
    groups: dict[str, list[Container]] = {}
    for container in sorted(containers, key=lambda c: (c.project, c.name)):
        groups.setdefault(container.project, []).append(container)
    return [(project, tuple(members)) for project, members in groups.items()]


def _names(facts: HostFacts, kind: str) -> frozenset[str] | None:
    """Compose project names (stacks) or container names (deployments) of
    resources on this host; None when neither Core nor the tree lists them."""
    names: set[str] = set()
    found = False
    snapshot = facts.snapshot
    if snapshot is not None and snapshot.names(kind) is not None:
        found = True
        items = snapshot.stacks if kind == "stack" else snapshot.deployments
        here = _this_server(facts, {item.server_name for item in items})
        names.update(i.name for i in items if here is None or i.server_name == here)
    if facts.workspace is not None:
        found = True
        resources = tuple(facts.workspace.of_kind(kind))
        servers = {str(r.config.get("server", "")) for r in resources}
        here = _this_server(facts, servers)
        for resource in resources:
            if resource.name and (
                here is None or resource.config.get("server") == here
            ):
                names.add(_project(kind, resource.name, resource.config))
    return frozenset(names) if found else None


def _project(kind: str, name: str, config: Mapping[str, object]) -> str:
    custom = config.get("project_name") if kind == "stack" else None
    if isinstance(custom, str) and custom.strip():
        return custom.strip().lower()  # compose lowercases project names
    return normalize_name(kind, name)


def _this_server(facts: HostFacts, servers: set[str]) -> str | None:
    """This host's Server name when it appears among ``servers``, else None
    (then every resource counts: which Server this host is is unknown)."""
    for candidate in (facts.host.server, facts.host.hostname):
        if candidate and candidate in servers:
            return candidate
    return None


def _folders(facts: HostFacts) -> tuple[str, ...]:
    dirs = facts.host.dirs
    if dirs is None:
        return ()
    return tuple(folder.rstrip("/") + "/" for folder in (dirs.stacks, dirs.repos))


def _inside(working_dir: str, folders: tuple[str, ...]) -> bool:
    return bool(working_dir) and (working_dir.rstrip("/") + "/").startswith(folders)


def _sources(facts: HostFacts) -> str:
    given = [
        label
        for label, present in (
            ("Komodo Core", facts.snapshot is not None),
            ("the GitOps tree", facts.workspace is not None),
        )
        if present
    ]
    return " and ".join(given) or "Periphery's folders only"
