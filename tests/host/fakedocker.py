"""A Docker Engine API served on a Unix socket in a temporary folder, with
realistic container JSON (the shapes of Engine API 1.43), for the host tests
and the benchmark. Faults: an HTTP status or a raw body per path."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any


@dataclass
class FakeContainer:
    """One container: what ``/containers/json`` lists and ``/{id}/json`` says."""

    name: str
    image: str = "nginx:1.27"
    project: str = ""
    service: str = ""
    working_dir: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    env: list[str] = field(default_factory=list)
    binds: list[tuple[str, str]] = field(default_factory=list)
    privileged: bool = False
    restart_count: int = 0
    restarting: bool = False
    state: str = "running"

    @property
    def id(self) -> str:
        return (self.name.encode().hex() * 8)[:64].ljust(64, "0")

    def all_labels(self) -> dict[str, str]:
        labels = dict(self.labels)
        if self.project:
            labels.update(
                {
                    "com.docker.compose.project": self.project,
                    "com.docker.compose.service": self.service or self.name,
                    "com.docker.compose.project.working_dir": self.working_dir,
                    "com.docker.compose.project.config_files": (
                        f"{self.working_dir}/compose.yaml"
                    ),
                    "com.docker.compose.container-number": "1",
                    "com.docker.compose.oneoff": "False",
                    "com.docker.compose.version": "2.29.1",
                }
            )
        return labels

    def mounts(self) -> list[dict[str, Any]]:
        return [
            {
                "Type": "bind",
                "Source": source,
                "Destination": target,
                "Mode": "",
                "RW": True,
                "Propagation": "rprivate",
            }
            for source, target in self.binds
        ]

    def summary(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "Names": [f"/{self.name}"],
            "Image": self.image,
            "ImageID": "sha256:" + "ab" * 32,
            "Command": "/docker-entrypoint.sh",
            "Created": 1767225600,
            "Ports": [{"PrivatePort": 80, "Type": "tcp"}],
            "Labels": self.all_labels(),
            "State": "restarting" if self.restarting else self.state,
            "Status": "Restarting (1) 3 seconds ago"
            if self.restarting
            else "Up 2 hours",
            "HostConfig": {"NetworkMode": "bridge"},
            "NetworkSettings": {"Networks": {"bridge": {"IPAddress": "172.17.0.2"}}},
            "Mounts": self.mounts(),
        }

    def inspect(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "Created": "2026-01-01T00:00:00.000000000Z",
            "Path": "/docker-entrypoint.sh",
            "Args": ["nginx", "-g", "daemon off;"],
            "State": {
                "Status": "restarting" if self.restarting else self.state,
                "Running": self.state == "running",
                "Paused": False,
                "Restarting": self.restarting,
                "OOMKilled": False,
                "Dead": False,
                "Pid": 4242,
                "ExitCode": 0,
                "Error": "",
                "StartedAt": "2026-01-01T00:00:01.000000000Z",
                "FinishedAt": "0001-01-01T00:00:00Z",
            },
            "Image": "sha256:" + "ab" * 32,
            "Name": f"/{self.name}",
            "RestartCount": self.restart_count,
            "Driver": "overlay2",
            "Platform": "linux",
            "HostConfig": {
                "Binds": [f"{s}:{t}" for s, t in self.binds],
                "NetworkMode": "bridge",
                "RestartPolicy": {"Name": "unless-stopped", "MaximumRetryCount": 0},
                "Privileged": self.privileged,
                "CapAdd": None,
                "CapDrop": None,
            },
            "Mounts": self.mounts(),
            "Config": {
                "Hostname": self.id[:12],
                "User": "",
                "Env": [*self.env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/bin"],
                "Cmd": ["nginx", "-g", "daemon off;"],
                "Image": self.image,
                "Labels": self.all_labels(),
            },
        }


@dataclass
class Fault:
    """Answer ``status`` with ``body`` (raw bytes) instead of the real answer."""

    status: int = 500
    body: bytes = b'{"message": "server error"}'


class FakeEngine:
    """Serves the containers on ``folder/docker.sock`` while in a ``with``."""

    def __init__(
        self,
        folder: Path,
        containers: list[FakeContainer],
        faults: dict[str, Fault] | None = None,
    ) -> None:
        self.socket = str(folder / "docker.sock")
        self.containers = {c.id: c for c in containers}
        self.faults = faults or {}
        self.requests: list[str] = []
        self._server: socketserver.UnixStreamServer | None = None

    def __enter__(self) -> FakeEngine:
        engine = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                engine.requests.append(self.path)
                status, body = engine.answer(self.path.partition("?")[0])
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
            daemon_threads = True

        self._server = Server(self.socket, Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str) -> tuple[int, bytes]:
        if path in self.faults:
            fault = self.faults[path]
            return fault.status, fault.body
        if path == "/containers/json":
            return 200, _json([c.summary() for c in self.containers.values()])
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "containers" and parts[2] == "json":
            found = self.containers.get(parts[1])
            if found is not None:
                return 200, _json(found.inspect())
        return 404, _json({"message": f"No such container: {parts[1:2]}"})


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


def many(count: int, folder: str = "/etc/komodo/stacks") -> Iterator[FakeContainer]:
    """``count`` containers: compose stacks from Periphery's folder, a few
    hand-run projects, plain containers, socket mounts and restart loops."""
    for index in range(count):
        if index % 10 == 9:
            yield FakeContainer(f"adhoc-{index}", image="busybox:1.36")
            continue
        project = f"stack{index // 3}" if index % 7 else f"manual{index // 3}"
        working = f"{folder}/{project}" if index % 7 else f"/opt/{project}"
        yield FakeContainer(
            f"{project}-app{index}-1",
            project=project,
            working_dir=working,
            env=[f"DB_PASSWORD=secret-{index}", "TZ=UTC"],
            binds=[("/var/run/docker.sock", "/var/run/docker.sock")]
            if index % 50 == 0
            else [(f"{working}/data", "/data")],
            restart_count=index % 13,
        )
