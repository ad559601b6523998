"""The Docker socket bind-mounted into a container.

Whoever can talk to ``/var/run/docker.sock`` controls the Docker daemon, and
through it root on the host: one compromised web app with the socket mounted
can start a privileged container that mounts ``/``. Mounting it read-only
(``:ro``) does not help much (the API still accepts every request over a
read-only socket file), so that case is a warning instead of an error.

Not reported for Komodo Periphery itself (``ghcr.io/moghtech/komodo-periphery``
must drive Docker) or for a socket proxy (images named ``docker-socket-proxy``
or ``socket-proxy``: tecnativa, linuxserver, wollomatic and others), which is
the fix: give the other services the proxy's filtered API instead.

Equivalents: KICS "Docker Socket Mounted In Container"
(d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b); compose-lint CL-0001; kube-linter
``docker-sock``; checkov CKV_K8S_27.

Failing::

    services:
      dashboard:
        image: ghcr.io/example/dashboard:2.1
        volumes:
          - /var/run/docker.sock:/var/run/docker.sock

Passing::

    services:
      socket-proxy:
        image: ghcr.io/tecnativa/docker-socket-proxy:v0.5.0
        environment:
          CONTAINERS: 1
        volumes:
          - /var/run/docker.sock:/var/run/docker.sock:ro
      dashboard:
        image: ghcr.io/example/dashboard:2.1
        environment:
          DOCKER_HOST: tcp://socket-proxy:2375
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from komodo_guard.rules.compose.common import at, image_name, mounts
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.model import Workspace

SOCKET_PATHS = frozenset({"/var/run/docker.sock", "/run/docker.sock"})
PERIPHERY_IMAGES = ("ghcr.io/moghtech/komodo-periphery", "ghcr.io/mbecker20/periphery")
PROXY_NAMES = frozenset({"docker-socket-proxy", "socket-proxy"})


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per socket mount outside Periphery and socket proxies."""
    for compose in workspace.compose_files:
        for name, service in compose.services():
            image = service.get("image")
            if isinstance(image, str) and _trusted(image):
                continue
            for mount in mounts(("services", name), service):
                if posixpath.normpath(mount.source) not in SOCKET_PATHS:
                    continue
                mode = "read-only " if mount.read_only else ""
                yield rule.finding(
                    f"service `{name}` mounts the Docker socket {mode}"
                    f"(`{mount.source}`): it controls the Docker daemon and so "
                    "root on the host",
                    location=at(compose, mount.path, value=True),
                    severity=Severity.WARNING if mount.read_only else None,
                    hint=(
                        "put a socket proxy (e.g. ghcr.io/tecnativa/"
                        "docker-socket-proxy) in front and point the service at "
                        "it with DOCKER_HOST=tcp://<proxy>:2375, allowing only "
                        "the API sections it needs"
                    ),
                )


def _trusted(image: str) -> bool:
    repository, _, _ = image_name(image.strip())
    if repository.startswith(PERIPHERY_IMAGES):
        return True
    return repository.rsplit("/", 1)[-1] in PROXY_NAMES


RULE = RuleInfo(
    code="KG804",
    name="docker-socket",
    severity=Severity.ERROR,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
