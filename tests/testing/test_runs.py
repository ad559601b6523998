"""Deploy, RunBuild and PullRepo in the emulator: an Update with Core's
operation and target, in progress then complete, succeeded by default or
failed as the scenario says, with the resource's list state following."""

from __future__ import annotations

import json
from typing import Any

import pytest

from komodo_guard.testing import CoreEmulator, Scenario
from tests.testing.httpkit import call, post
from tests.testing.test_emulator import wait_complete

# (execute call, parameter, name in the demo, operation, target type, lister)
RUNS = [
    ("Deploy", "deployment", "mongo-backup", "Deployment", "ListDeployments"),
    ("RunBuild", "build", "backup-image", "Build", "ListBuilds"),
    ("PullRepo", "repo", "homelab-checkout", "Repo", "ListRepos"),
]
RUNNING_STATE = {"Deploy": "deploying", "RunBuild": "Building", "PullRepo": "Pulling"}


def listed(core: CoreEmulator, lister: str, name: str) -> Any:
    (item,) = call(core, "read", lister, {"query": {"names": [name]}})
    return item


def runs_fine(demo: Scenario) -> Scenario:
    """The demo with every deployment deploying fine."""
    for deployment in demo.deployments:
        deployment["deploy_fails"] = False
    return demo


@pytest.mark.parametrize(("call_name", "param", "name", "target", "lister"), RUNS)
def test_a_run_progresses_to_success(
    demo: Scenario,
    call_name: str,
    param: str,
    name: str,
    target: str,
    lister: str,
) -> None:
    with CoreEmulator(runs_fine(demo), update_seconds=0.2) as core:
        item = listed(core, lister, name)
        started = call(core, "execute", call_name, {param: name})
        assert started["operation"] == call_name
        assert started["target"] == {"type": target, "id": item["id"]}
        assert started["status"] == "InProgress"
        assert listed(core, lister, name)["info"]["state"] == RUNNING_STATE[call_name]
        done = wait_complete(core, started["_id"]["$oid"])
        after = listed(core, lister, name)
    assert (done["status"], done["success"]) == ("Complete", True)
    assert [log["success"] for log in done["logs"]] == [True]
    assert done["end_ts"] >= done["start_ts"]
    assert after["info"]["state"] in ("running", "Ok")


def test_runs_move_what_the_lists_show(demo: Scenario) -> None:
    demo.builds[0]["latest_hash"] = "5a5a5a5"
    demo.repos[0]["latest_hash"] = "6b6b6b6"
    ended = {}
    with CoreEmulator(runs_fine(demo), update_seconds=0.05) as core:
        for call_name, param, name, _, _ in RUNS:
            started = call(core, "execute", call_name, {param: name})
            ended[call_name] = wait_complete(core, started["_id"]["$oid"])["end_ts"]
        deployment = listed(core, "ListDeployments", "mongo-backup")["info"]
        build = listed(core, "ListBuilds", "backup-image")["info"]
        repo = listed(core, "ListRepos", "homelab-checkout")["info"]
    assert deployment["state"] == "running"
    assert build["built_hash"] == "5a5a5a5"
    assert build["last_built_at"] == ended["RunBuild"]
    assert build["state"] == "Ok"
    assert repo["cloned_hash"] == "6b6b6b6"
    assert repo["last_pulled_at"] == ended["PullRepo"]
    assert repo["state"] == "Ok"


def test_the_demo_deployment_fails_on_its_database_credentials(
    core: CoreEmulator,
) -> None:
    started = call(core, "execute", "Deploy", {"deployment": "mongo-backup"})
    done = wait_complete(core, started["_id"]["$oid"])
    assert done["success"] is False
    (log,) = done["logs"]
    assert (log["stage"], log["success"]) == ("Deploy Container", False)
    assert "Authentication failed" in log["stderr"]
    assert listed(core, "ListDeployments", "mongo-backup")["info"]["state"] == "exited"


@pytest.mark.parametrize(
    ("call_name", "param", "key", "flag", "stage", "text", "state"),
    [
        (
            "Deploy",
            "deployment",
            "deployments",
            "deploy",
            "Deploy Container",
            "pull access denied",
            "exited",
        ),
        ("RunBuild", "build", "builds", "build", "Build", "failed to solve", "Failed"),
        (
            "PullRepo",
            "repo",
            "repos",
            "pull",
            "Git Pull",
            "untracked working tree",
            "Failed",
        ),
    ],
)
def test_a_configured_failure_has_a_failed_stage(
    call_name: str,
    param: str,
    key: str,
    flag: str,
    stage: str,
    text: str,
    state: str,
) -> None:
    scenario = Scenario(servers=[{"name": "box"}])
    resource = {"name": "it", "server": "box", "state": "exited", f"{flag}_fails": True}
    getattr(scenario, key).append(resource)
    with CoreEmulator(scenario, update_seconds=0.05) as core:
        started = call(core, "execute", call_name, {param: "it"})
        done = wait_complete(core, started["_id"]["$oid"])
        lister = {"deployments": "ListDeployments", "builds": "ListBuilds"}
        after = listed(core, lister.get(key, "ListRepos"), "it")["info"]["state"]
    assert done["success"] is False
    (log,) = done["logs"]
    assert (log["stage"], log["success"]) == (stage, False)
    assert text in log["stderr"]
    assert after == state


def test_given_failure_logs_replace_the_default_stage() -> None:
    logs = [
        {"stage": "Clone Repo", "command": "git clone", "success": True},
        {"stage": "Build", "command": "docker build .", "stderr": "exit 1"},
    ]
    scenario = Scenario(builds=[{"name": "b", "build_fails": True, "build_logs": logs}])
    with CoreEmulator(scenario, update_seconds=0.05) as core:
        started = call(core, "execute", "RunBuild", {"build": "b"})
        done = wait_complete(core, started["_id"]["$oid"])
    assert [(g["stage"], g["success"], g["stderr"]) for g in done["logs"]] == [
        ("Clone Repo", True, ""),
        ("Build", False, "exit 1"),
    ]


@pytest.mark.parametrize(("call_name", "param", "name", "target", "lister"), RUNS)
def test_unknown_names_are_404_and_refusals_start_nothing(
    demo: Scenario,
    call_name: str,
    param: str,
    name: str,
    target: str,
    lister: str,
) -> None:
    key = {"Deployment": "deployments", "Build": "builds", "Repo": "repos"}[target]
    getattr(demo, key)[0]["execute_error"] = f"{target} busy"
    with CoreEmulator(demo) as core:
        status, raw = post(core, f"/execute/{call_name}", {param: "nope"})
        assert (status, json.loads(raw)["error"]) == (
            404,
            f"did not find any {target} matching nope",
        )
        query = {"query": {"operation": call_name}}
        before = call(core, "read", "ListUpdates", query)["updates"]
        status, raw = post(core, f"/execute/{call_name}", {param: name})
        assert (status, json.loads(raw)["error"]) == (500, f"{target} busy")
        assert call(core, "read", "ListUpdates", query)["updates"] == before


@pytest.mark.parametrize(
    ("batch", "name"),
    [
        ("BatchDeploy", "mongo-*"),
        ("BatchRunBuild", "backup-*"),
        ("BatchPullRepo", "homelab-*"),
    ],
)
def test_batch_calls_start_one_update_per_match(
    core: CoreEmulator, batch: str, name: str
) -> None:
    items = call(core, "execute", batch, {"pattern": f"{name}, absent-*"})
    assert [item["status"] for item in items] == ["Ok"]
    assert items[0]["data"]["operation"] == batch.removeprefix("Batch")
