"""A container with the Docker socket mounted: root on the host for whoever controls it.

Access to ``/var/run/docker.sock`` is full control of the Docker Engine,
which is root on the host: a compromised web UI, updater or dashboard with
the socket can start a privileged container mounting ``/``. Mounting a parent
folder (``/run``, ``/var/run``, ``/``) counts too. Komodo's own Periphery
needs the socket by design (FACTS §5.3): its container is reported as info.

Failing: ``volumes: ["/var/run/docker.sock:/var/run/docker.sock"]`` on a
dashboard container.

Passing: no socket mount; or a socket proxy that allows only the calls the
service needs.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.host.model import Container, Mount
from komodo_guard.rules.host.ownership import owner_of
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    HostFacts,
    HostRuleInfo,
    RuleOptions,
    Severity,
)

SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")
PERIPHERY_IMAGE = "ghcr.io/moghtech/komodo-periphery"


def check(
    rule: HostRuleInfo, facts: HostFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per container mounting the Docker socket."""
    sockets = socket_paths(facts.host.docker_socket)
    for container in facts.host.containers or ():
        mount = socket_mount(container, sockets)
        if mount is None:
            continue
        periphery = container.image.startswith(PERIPHERY_IMAGE)
        what = (
            "the Docker socket"
            if mount.source in sockets
            else f"{mount.source}, which holds the Docker socket,"
        )
        yield rule.finding(
            f"container `{container.name}` ({container.image}) mounts {what} at "
            f"{mount.destination}: control of it is root on this host"
            + ("; Periphery needs it" if periphery else ""),
            resource=owner_of(facts, container),
            severity=Severity.INFO if periphery else None,
            hint="remove the mount, or put a Docker socket proxy in front that "
            "allows only the API calls the service needs",
        )


def socket_paths(configured: str) -> tuple[str, ...]:
    """The host paths of the Docker socket: the one read, and the usual two."""
    return tuple(dict.fromkeys(p for p in (configured, *SOCKETS) if p))


def socket_mount(container: Container, sockets: tuple[str, ...]) -> Mount | None:
    """The mount that gives ``container`` the socket, if any."""
    for mount in container.mounts:
        source = mount.source.rstrip("/") or "/"
        prefix = source if source.endswith("/") else source + "/"
        if mount.kind == "bind" and any(
            path == source or path.startswith(prefix) for path in sockets
        ):
            return mount
    return None


RULE = HostRuleInfo(
    code="KG1212",
    name="docker-socket-mounted",
    severity=Severity.WARNING,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
