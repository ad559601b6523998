"""The containers on this host, read from the Docker Engine API over its Unix socket.

Which socket: the ``--docker-socket`` option, else ``DOCKER_HOST`` when it is a
``unix://`` address, else ``/var/run/docker.sock``. A ``DOCKER_HOST`` of any
other scheme (``tcp://``, ``ssh://``, ``npipe://``) is refused with a clear
error: komodo-guard reads the Engine only over its local socket for now, so
no request ever leaves the machine.

Two calls: ``GET /containers/json?all=1`` (names, image, state, labels,
mounts) and, for each container, ``GET /containers/{id}/json`` (privileged,
restart count, restarting, environment). Environment values are reduced at
once to keyed fingerprints (:mod:`komodo_guard.live.fingerprint`) for a later
``secrets check``; the values themselves are never kept, logged or printed.
Every failure (no socket, permission denied, timeout, an HTTP error, a body
that is not the JSON the call returns) becomes a :class:`HostProblem` naming
the call.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import httpx

from komodo_guard.host.model import Container, EnvVar, HostProblem, Mount
from komodo_guard.live.fingerprint import fingerprint

log = logging.getLogger(__name__)

DEFAULT_SOCKET = "/var/run/docker.sock"
DEFAULT_TIMEOUT = 10.0
DEFAULT_JOBS = 8
LIST_CALL = "GET /containers/json"
INSPECT_CALL = "GET /containers/{id}/json"
_PROJECT = "com.docker.compose.project"
_SERVICE = "com.docker.compose.service"
_WORKING_DIR = "com.docker.compose.project.working_dir"
_SWARM_SERVICE = "com.docker.swarm.service.name"
_SKIP = "komodo.skip"
_DETAIL_LIMIT = 200
_CONTAINER_ID = re.compile(r"[0-9a-f]{12,64}")


class DockerError(Exception):
    """A call to the Docker Engine failed; the message names the call."""

    def __init__(self, call: str, reason: str) -> None:
        self.call = call
        self.reason = reason
        super().__init__(f"{call}: {reason}")


def docker_socket(
    option: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """The Engine's socket path: the option, ``DOCKER_HOST`` (``unix://``
    only), else ``/var/run/docker.sock``; a :class:`DockerError` otherwise."""
    if option:
        return option.removeprefix("unix://")
    address = (os.environ if environ is None else environ).get("DOCKER_HOST", "")
    if not address:
        return DEFAULT_SOCKET
    scheme, sep, rest = address.partition("://")
    if sep and scheme == "unix" and rest:
        return rest
    shown = f"{scheme}://" if sep else "that value"
    raise DockerError(
        "DOCKER_HOST",
        f"{shown} is not supported: komodo-guard reads the Docker Engine only "
        "over its local Unix socket for now; unset DOCKER_HOST, set it to "
        "unix:///var/run/docker.sock, or pass --docker-socket PATH",
    )


def read_containers(
    socket: str,
    key: bytes,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int = DEFAULT_JOBS,
) -> tuple[tuple[Container, ...] | None, tuple[HostProblem, ...]]:
    """Every container (running or not), inspected ``jobs`` at a time; None
    and the reason when the list itself cannot be read."""
    try:
        _reachable(socket)
        with _client(socket, timeout) as client:
            listed = _list(client)
            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                results = list(
                    pool.map(lambda item: _inspected(client, item, key), listed)
                )
    except DockerError as error:
        log.warning("cannot read the Docker Engine: %s", error)
        return None, (HostProblem(error.call, error.reason, f"unix://{socket}"),)
    containers = tuple(container for container, _ in results)
    problems = tuple(problem for _, problem in results if problem is not None)
    return containers, problems


def _reachable(socket: str) -> None:
    if not os.path.exists(socket):
        raise DockerError(
            LIST_CALL,
            f"no Docker socket at {socket} (check that Docker runs on this "
            "host, and DOCKER_HOST or --docker-socket)",
        )
    if not os.access(socket, os.R_OK | os.W_OK):
        raise DockerError(
            LIST_CALL,
            f"permission denied on {socket}: run as root or as a member of the "
            "docker group",
        )


def _client(socket: str, timeout: float) -> httpx.Client:
    transport = httpx.HTTPTransport(uds=socket)
    return httpx.Client(transport=transport, base_url="http://docker", timeout=timeout)


def _get(client: httpx.Client, call: str, path: str, params: dict[str, str]) -> Any:
    try:
        response = client.get(path, params=params)
    except httpx.TimeoutException as error:
        raise DockerError(call, "the Docker Engine did not answer in time") from error
    except httpx.TransportError as error:
        raise DockerError(call, f"cannot talk to the Docker Engine: {error}") from error
    if response.status_code != 200:
        raise DockerError(call, f"HTTP {response.status_code}: {_detail(response)}")
    try:
        return response.json()
    except ValueError as error:
        raise DockerError(call, "the answer is not JSON") from error


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    text = body.get("message") if isinstance(body, dict) else None
    flat = " ".join(str(text or response.reason_phrase or "no detail").split())
    return flat if len(flat) <= _DETAIL_LIMIT else flat[: _DETAIL_LIMIT - 1] + "…"


def _list(client: httpx.Client) -> list[dict[str, Any]]:
    body = _get(client, LIST_CALL, "/containers/json", {"all": "1"})
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise DockerError(LIST_CALL, "the answer is not a JSON array of containers")
    return body


def _inspected(
    client: httpx.Client, item: dict[str, Any], key: bytes
) -> tuple[Container, HostProblem | None]:
    """The container as listed, completed by its inspection when that works."""
    container = from_list(item)
    if not _CONTAINER_ID.fullmatch(container.id):
        reason = "the container list gave an id that is not a hexadecimal container id"
        return container, HostProblem(INSPECT_CALL, reason, container.name)
    try:
        body = _get(client, INSPECT_CALL, f"/containers/{container.id}/json", {})
        if not isinstance(body, dict):
            raise DockerError(INSPECT_CALL, "the answer is not a JSON object")
    except DockerError as error:
        return container, HostProblem(INSPECT_CALL, error.reason, container.name)
    return completed(container, body, key), None


def from_list(item: Mapping[str, Any]) -> Container:
    """A container from one item of ``/containers/json``."""
    labels = _table(item.get("Labels"))
    names = item.get("Names")
    name = names[0] if isinstance(names, list) and names else ""
    return Container(
        id=_text(item.get("Id")),
        name=_text(name).lstrip("/"),
        image=_text(item.get("Image")),
        state=_text(item.get("State")),
        project=_text(labels.get(_PROJECT)),
        service=_text(labels.get(_SERVICE)),
        working_dir=_text(labels.get(_WORKING_DIR)),
        swarm_service=_text(labels.get(_SWARM_SERVICE)),
        komodo_skip=_SKIP in labels,
        mounts=_mounts(item.get("Mounts")),
    )


def completed(container: Container, body: Mapping[str, Any], key: bytes) -> Container:
    """``container`` with what ``/containers/{id}/json`` adds."""
    host_config = _table(body.get("HostConfig"))
    state = _table(body.get("State"))
    config = _table(body.get("Config"))
    restarts = body.get("RestartCount")
    mounts = _mounts(body.get("Mounts")) or container.mounts
    return replace(
        container,
        mounts=mounts,
        privileged=host_config.get("Privileged") is True,
        restart_count=restarts if isinstance(restarts, int) else 0,
        restarting=state.get("Restarting") is True,
        env=_environment(config.get("Env"), key),
    )


def _environment(entries: object, key: bytes) -> tuple[EnvVar, ...]:
    if not isinstance(entries, list):
        return ()
    found: list[EnvVar] = []
    for entry in entries:
        if isinstance(entry, str) and entry:
            name, sep, value = entry.partition("=")
            found.append(EnvVar(name, fingerprint(key, value) if sep else ""))
    return tuple(found)


def _mounts(value: object) -> tuple[Mount, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        Mount(
            _text(mount.get("Source")),
            _text(mount.get("Destination")),
            _text(mount.get("Type")) or "bind",
        )
        for mount in value
        if isinstance(mount, dict)
    )


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
