from __future__ import annotations

from komodo_guard.host.model import Mount
from komodo_guard.rules.host.socket_mounted import RULE
from komodo_guard.rules.interface import ResourceRef
from tests.rules.host.hostkit import container, host, run

SOCKET = Mount("/var/run/docker.sock", "/var/run/docker.sock")


def test_failing() -> None:
    dash = container("dash-1", project="dash", image="dash:1", mounts=(SOCKET,))

    found = run(RULE, host(containers=[dash]))

    assert [(f.code, f.severity.label) for f in found] == [("KG1212", "warning")]
    assert found[0].message == (
        "container `dash-1` (dash:1) mounts the Docker socket at "
        "/var/run/docker.sock: control of it is root on this host"
    )
    assert found[0].resource == ResourceRef("stack", "dash")


def test_failing_parent_folder_and_other_socket() -> None:
    state = host(
        containers=[
            container("a", mounts=(Mount("/run", "/host/run"),)),
            container("b", mounts=(Mount("/srv/docker.sock", "/d.sock"),)),
        ],
        docker_socket="/srv/docker.sock",
    )

    found = run(RULE, state)

    assert [f.message.split(":")[0] for f in found] == [
        "container `a` (nginx",
        "container `b` (nginx",
    ]
    assert (
        "mounts /run, which holds the Docker socket, at /host/run" in found[0].message
    )


def test_periphery_is_info() -> None:
    periphery = container(
        "komodo-periphery-1",
        image="ghcr.io/moghtech/komodo-periphery:2.3.2",
        mounts=(SOCKET,),
    )

    found = run(RULE, host(containers=[periphery]))

    assert [f.severity.label for f in found] == ["info"]
    assert found[0].message.endswith("; Periphery needs it")


def test_passing() -> None:
    state = host(
        containers=[
            container("a", mounts=(Mount("/srv/data", "/data"),)),
            container("b", mounts=(Mount("", "/vol", "volume"),)),
        ]
    )

    assert run(RULE, state) == []


def test_disabled() -> None:
    state = host(containers=[container("a", mounts=(SOCKET,))])

    assert run(RULE, state, disabled=[RULE.code]) == []
