"""Reading containers from a Docker Engine API the test serves on a Unix socket."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.host import docker
from komodo_guard.host.docker import (
    DEFAULT_SOCKET,
    DockerError,
    docker_socket,
    read_containers,
)
from komodo_guard.host.model import EnvVar, Mount
from komodo_guard.live.fingerprint import fingerprint
from tests.host.fakedocker import FakeContainer, FakeEngine, Fault

KEY = b"k" * 32
SECRET = "pg-S3cret-Value-99"


def web() -> FakeContainer:
    return FakeContainer(
        "app-web-1",
        image="ghcr.io/acme/web:2.1",
        project="app",
        service="web",
        working_dir="/etc/komodo/stacks/app",
        env=[f"DB_PASSWORD={SECRET}", "EMPTY=", "FLAG"],
        binds=[("/var/run/docker.sock", "/var/run/docker.sock")],
        privileged=True,
        restart_count=7,
    )


def test_containers_with_labels_mounts_and_fingerprints(short_dir: Path) -> None:
    with FakeEngine(short_dir, [web(), FakeContainer("plain")]) as engine:
        containers, problems = read_containers(engine.socket, KEY)

    assert problems == ()
    assert containers is not None
    first, second = sorted(containers, key=lambda c: c.name)
    assert (first.name, first.project, first.service, first.working_dir) == (
        "app-web-1",
        "app",
        "web",
        "/etc/komodo/stacks/app",
    )
    assert first.mounts == (Mount("/var/run/docker.sock", "/var/run/docker.sock"),)
    assert (first.privileged, first.restart_count, first.restarting) == (True, 7, False)
    assert first.env[:3] == (
        EnvVar("DB_PASSWORD", fingerprint(KEY, SECRET)),
        EnvVar("EMPTY", fingerprint(KEY, "")),
        EnvVar("FLAG", ""),
    )
    assert SECRET not in repr(containers)
    assert (second.name, second.project, second.privileged) == ("plain", "", False)
    assert sorted(engine.requests) == sorted(
        ["/containers/json?all=1", *(f"/containers/{c.id}/json" for c in containers)]
    )


def test_restarting_container(short_dir: Path) -> None:
    looping = FakeContainer("loop", restarting=True, restart_count=31)
    with FakeEngine(short_dir, [looping]) as engine:
        containers, _ = read_containers(engine.socket, KEY)

    assert containers is not None
    assert (containers[0].state, containers[0].restarting) == ("restarting", True)


def test_missing_socket_is_one_problem(short_dir: Path) -> None:
    containers, problems = read_containers(str(short_dir / "none.sock"), KEY)

    assert containers is None
    assert len(problems) == 1
    assert problems[0].call == "GET /containers/json"
    assert problems[0].reason.startswith(f"no Docker socket at {short_dir}/none.sock")


def test_permission_denied_is_one_problem(
    short_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docker.os, "access", lambda path, mode: False)
    with FakeEngine(short_dir, [web()]) as engine:
        containers, problems = read_containers(engine.socket, KEY)

    assert containers is None
    assert [p.call for p in problems] == ["GET /containers/json"]
    assert "permission denied" in problems[0].reason
    assert "docker group" in problems[0].reason


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (
            Fault(500, b'{"message": "daemon is restarting"}'),
            "HTTP 500: daemon is restarting",
        ),
        (Fault(200, b"<html>proxy</html>"), "the answer is not JSON"),
        (Fault(200, b'{"Id": "x"}'), "the answer is not a JSON array of containers"),
        (Fault(502, b"Bad Gateway"), "HTTP 502: Bad Gateway"),
    ],
)
def test_bad_list_answers(short_dir: Path, fault: Fault, reason: str) -> None:
    with FakeEngine(short_dir, [web()], {"/containers/json": fault}) as engine:
        containers, problems = read_containers(engine.socket, KEY)

    assert containers is None
    assert [(p.call, p.reason) for p in problems] == [("GET /containers/json", reason)]


def test_failed_inspection_keeps_the_listed_container(short_dir: Path) -> None:
    broken = FakeContainer("broken", project="x", working_dir="/opt/x")
    faults = {f"/containers/{broken.id}/json": Fault(500, b"not json at all")}
    with FakeEngine(short_dir, [broken, FakeContainer("fine")], faults) as engine:
        containers, problems = read_containers(engine.socket, KEY)

    assert containers is not None
    assert sorted(c.name for c in containers) == ["broken", "fine"]
    assert [(p.call, p.reason, p.subject) for p in problems] == [
        ("GET /containers/{id}/json", "HTTP 500: Internal Server Error", "broken")
    ]


def test_connection_refused_is_named(short_dir: Path) -> None:
    path = short_dir / "stale.sock"
    path.touch()

    containers, problems = read_containers(str(path), KEY)

    assert containers is None
    assert problems[0].call == "GET /containers/json"
    assert problems[0].reason.startswith("cannot talk to the Docker Engine")


def test_socket_choice() -> None:
    assert docker_socket(None, {}) == DEFAULT_SOCKET
    assert docker_socket(
        None, {"DOCKER_HOST": "unix:///run/user/1000/docker.sock"}
    ) == ("/run/user/1000/docker.sock")
    assert docker_socket("unix:///x.sock", {"DOCKER_HOST": "tcp://h:2375"}) == "/x.sock"


@pytest.mark.parametrize("address", ["tcp://10.0.0.5:2376", "ssh://me@host", "h:2375"])
def test_other_docker_hosts_are_refused(address: str) -> None:
    with pytest.raises(DockerError) as caught:
        docker_socket(None, {"DOCKER_HOST": address})

    message = str(caught.value)
    assert "only over its local Unix socket" in message
    assert "10.0.0.5" not in message
    assert "me@host" not in message
