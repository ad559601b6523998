"""``container``: an environment variable of a container on this host.

One ``GET /containers/{name}/json`` per container over the Docker Engine's
Unix socket (chosen as :func:`komodo_guard.host.docker.docker_socket` does:
``--docker-socket``, else ``DOCKER_HOST`` when ``unix://``, else
``/var/run/docker.sock``). Each variable is wrapped in a :class:`SecretValue`
as it is read and kept in memory for this run only. A
container that does not exist holds nothing: the cell is ``missing``. Last
changed: when the container was created (its environment is fixed then).

    [[secrets.secret.places]]
    kind = "container"
    container = "komodo-core-1"
    variable = "KOMODO_DATABASE_PASSWORD"
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Self
from urllib.parse import quote

import httpx

from komodo_guard.host.docker import DockerError, docker_socket
from komodo_guard.secrets.places.interface import (
    Absent,
    Context,
    Found,
    Reading,
    StoreError,
    Table,
)
from komodo_guard.secrets.value import SecretValue

INSPECT_CALL = "GET /containers/{name}/json"


PROJECT_LABEL = "com.docker.compose.project"


@dataclass(frozen=True)
class Inspected:
    """The environment of one container (None: no such container), and the
    compose project it belongs to (its ``com.docker.compose.project`` label)."""

    env: dict[str, SecretValue] | None
    created: datetime | None = None
    project: str | None = None


@dataclass(frozen=True)
class ContainerPlace:
    """An environment variable of a container."""

    kind: ClassVar[str] = "container"
    keys: ClassVar[tuple[str, ...]] = ("container", "variable")
    container: str
    variable: str
    source: bool = False

    @property
    def store(self) -> str:
        return f"container {self.container}"

    @property
    def label(self) -> str:
        return f"container {self.container}: {self.variable}"

    @classmethod
    def from_table(cls, table: Table) -> Self:
        return cls(
            table.text("container"), table.text("variable"), table.flag("source")
        )

    def read(self, context: Context) -> Reading:
        inspected = self.inspected(context)
        if inspected.env is None:
            return Absent(f"no container named {self.container} on this host")
        value = inspected.env.get(self.variable)
        if value is None:
            return Absent(f"container {self.container} has no {self.variable}")
        return Found(value, inspected.created)

    def inspected(self, context: Context) -> Inspected:
        """The container as the Docker Engine describes it, once per run."""
        return context.memo.get(
            ("container", self.container), lambda: inspect(self.container, context)
        )


def inspect(name: str, context: Context) -> Inspected:
    """The container's environment, from the Docker Engine."""
    try:
        socket = docker_socket(context.docker_socket, context.environ)
    except DockerError as error:
        raise StoreError(str(error)) from None
    transport = httpx.HTTPTransport(uds=socket)
    try:
        with httpx.Client(
            transport=transport, base_url="http://docker", timeout=context.timeout
        ) as client:
            response = client.get(f"/containers/{quote(name, safe='')}/json")
    except httpx.TimeoutException:
        raise StoreError(
            f"{INSPECT_CALL} for {name}: the Docker Engine did not answer in time"
        ) from None
    except httpx.TransportError as error:
        raise StoreError(
            f"{INSPECT_CALL} for {name}: cannot talk to the Docker Engine at "
            f"{socket}: {error}"
        ) from None
    if response.status_code == 404:
        return Inspected(None)
    if response.status_code != 200:
        raise StoreError(
            f"{INSPECT_CALL} for {name}: HTTP {response.status_code} from the "
            "Docker Engine"
        )
    return _environment(name, response)


def _environment(name: str, response: httpx.Response) -> Inspected:
    try:
        body: Any = response.json()
    except ValueError:
        raise StoreError(f"{INSPECT_CALL} for {name}: the answer is not JSON") from None
    config = body.get("Config") if isinstance(body, dict) else None
    entries = config.get("Env") if isinstance(config, dict) else None
    if not isinstance(entries, list):
        raise StoreError(f"{INSPECT_CALL} for {name}: the answer has no Config.Env")
    env: dict[str, SecretValue] = {}
    for entry in entries:
        if isinstance(entry, str) and "=" in entry:
            key, _, value = entry.partition("=")
            env[key] = SecretValue(value)
    labels = config.get("Labels") if isinstance(config, dict) else None
    project = labels.get(PROJECT_LABEL) if isinstance(labels, dict) else None
    return Inspected(
        env,
        _created(body.get("Created")),
        project if isinstance(project, str) and project else None,
    )


def _created(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    # Docker writes UTC with nanoseconds; Python reads at most microseconds.
    head, dot, rest = text.removesuffix("Z").partition(".")
    try:
        stamp = datetime.fromisoformat(f"{head}.{rest[:6]}" if dot else head)
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
