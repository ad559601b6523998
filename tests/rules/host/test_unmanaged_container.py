from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.host.unmanaged_container import RULE
from tests.conftest import TreeFactory
from tests.rules.host.hostkit import container, host, run
from tests.rules.live.livekit import deployment, server, snapshot, stack, workspace


def composed(name: str, project: str, working_dir: str, **fields: object) -> object:
    return container(name, project=project, working_dir=working_dir, **fields)


def test_failing_project_outside_periphery_folders() -> None:
    state = host(
        containers=[
            container("grafana-1", project="grafana", working_dir="/opt/grafana"),
            container(
                "grafana-renderer-1", project="grafana", working_dir="/opt/grafana"
            ),
        ]
    )

    found = run(RULE, state)

    assert [(f.code, f.severity.label) for f in found] == [("KG1211", "warning")]
    assert found[0].message == (
        "compose project `grafana` (2 containers: `grafana-1`, `grafana-renderer-1`) "
        "runs from /opt/grafana, outside Periphery's stack and repo folders, and no "
        "Komodo stack in Periphery's folders only has that project name"
    )


def test_passing_from_periphery_folders_or_known_stacks() -> None:
    state = host(
        containers=[
            container("app-1", project="app", working_dir="/etc/komodo/stacks/app"),
            container("lib-1", project="lib", working_dir="/etc/komodo/repos/lib/run"),
            container("media-1", project="media", working_dir="/srv/media"),
            container(
                "core-1", project="komodo", working_dir="/opt/komodo", komodo_skip=True
            ),
            container("svc.1.abc", swarm_service="svc"),
        ]
    )

    found = run(RULE, state, snapshot=snapshot(stacks=[stack("media")], deployments=[]))

    assert found == []


def test_snapshot_of_this_server_only() -> None:
    state = host(
        containers=[container("media-1", project="media", working_dir="/srv/m")]
    )
    core = snapshot(
        servers=[server("hearth"), server("attic")],
        stacks=[stack("media", server_name="attic"), stack("app")],
    )

    found = run(RULE, state, snapshot=core)

    assert len(found) == 1
    assert "no Komodo stack in Komodo Core has that project name" in found[0].message


def test_plain_containers_against_deployments() -> None:
    state = host(containers=[container("web"), container("adhoc", image="busybox:1")])

    found = run(RULE, state, snapshot=snapshot(deployments=[deployment("web")]))

    assert [f.message for f in found] == [
        "container `adhoc` (busybox:1) is not a Komodo deployment: no deployment of "
        "that name in Komodo Core"
    ]


def test_plain_containers_undecided_without_core_or_tree() -> None:
    found = run(RULE, host(containers=[container("web")]))

    assert [(f.severity.label, f.message) for f in found] == [
        (
            "info",
            "1 container outside compose could not be matched to Komodo deployments "
            "without Komodo Core or a GitOps tree: `web`",
        )
    ]


def test_tree_declares_project_name(make_tree: TreeFactory) -> None:
    root: Path = make_tree(
        {
            "stacks.toml": '[[stack]]\nname = "Photos"\n[stack.config]\n'
            'server = "hearth"\nproject_name = "Immich"\n\n'
            '[[deployment]]\nname = "web"\n[deployment.config]\nserver = "hearth"\n'
        }
    )
    state = host(
        containers=[
            container("immich-1", project="immich", working_dir="/srv/immich"),
            container("web"),
        ]
    )

    assert run(RULE, state, workspace=workspace(root)) == []


def test_no_containers_read_no_findings() -> None:
    assert run(RULE, host(containers=None)) == []


def test_disabled() -> None:
    state = host(containers=[container("x-1", project="x", working_dir="/opt/x")])

    assert run(RULE, state, disabled=[RULE.code]) == []
