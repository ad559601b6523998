"""The emulator's read and execute calls beyond the basics: every kind, stack
files, services, secrets, update slices, and batch executions."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from komodo_guard.testing import CoreEmulator, Scenario
from tests.testing.conftest import with_every_kind
from tests.testing.httpkit import call, post


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"] for item in items]


def test_every_kind_is_listed(full: CoreEmulator) -> None:
    assert names(call(full, "read", "ListBuilds")) == [
        "backup-image",
        "failing-image",
        "mealie-image",
    ]
    assert names(call(full, "read", "ListRepos")) == [
        "homelab-checkout",
        "homelab-repo",
    ]
    assert names(call(full, "read", "ListBuilders")) == ["local", "url-builder"]
    assert names(call(full, "read", "ListSwarms")) == ["lab-swarm"]


def test_references_become_ids(full: CoreEmulator) -> None:
    servers = {s["name"]: s["id"] for s in call(full, "read", "ListServers")}
    builders = {b["name"]: b for b in call(full, "read", "ListBuilders")}
    (swarm,) = call(full, "read", "ListSwarms")
    assert swarm["info"]["server_ids"] == [servers["hearth"], servers["attic"]]
    build = call(full, "read", "ListBuilds", {"query": {"names": ["mealie-image"]}})
    assert build[0]["info"]["builder_id"] == builders["local"]["id"]
    assert build[0]["info"]["version"] == {"major": 1, "minor": 4, "patch": 2}
    assert builders["local"]["info"] == {
        "builder_type": "Server",
        "instance_type": "hearth",
    }
    (repo,) = call(full, "read", "ListRepos", {"query": {"names": ["homelab-repo"]}})
    assert (repo["info"]["server_id"], repo["info"]["server_name"]) == (
        servers["hearth"],
        "hearth",
    )


def test_swarms_do_not_exist_before_komodo_2(demo: Scenario) -> None:
    demo.version = "1.19.5"
    demo.swarms = [{"name": "old"}]
    with CoreEmulator(demo) as core:
        status, raw = post(core, "/read/ListSwarms", {})
    assert status == 422
    assert "ListSwarms" in json.loads(raw)["error"]


def files(info: dict[str, Any], key: str) -> dict[str, str]:
    return {entry["path"]: entry["contents"] for entry in info[key]}


def test_stack_files_follow_the_scenario(full: CoreEmulator) -> None:
    same = call(full, "read", "GetStack", {"stack": "traefik"})["info"]
    assert files(same, "deployed_contents") == files(same, "remote_contents")
    assert list(files(same, "remote_contents")) == ["compose.yaml"]
    assert same["remote_errors"] == []

    changed = call(full, "read", "GetStack", {"stack": "jellyfin"})["info"]
    deployed = files(changed, "deployed_contents")
    assert deployed["compose.yaml"] != files(changed, "remote_contents")["compose.yaml"]

    broken = call(full, "read", "GetStack", {"stack": "pihole"})["info"]
    assert [e["path"] for e in broken["remote_errors"]] == ["compose.override.yaml"]
    assert "compose.override.yaml" not in files(broken, "remote_contents")


def test_full_list_carries_the_same_files(full: CoreEmulator) -> None:
    listed = {s["name"]: s for s in call(full, "read", "ListFullStacks", {"limit": 0})}
    single = call(full, "read", "GetStack", {"stack": "jellyfin"})
    assert listed["jellyfin"]["info"] == single["info"]


def test_never_deployed_stack_has_no_deployed_contents(demo: Scenario) -> None:
    demo.stacks = [{"name": "fresh", "state": "down"}]
    with CoreEmulator(demo) as core:
        info = call(core, "read", "GetStack", {"stack": "fresh"})["info"]
    assert info["deployed_contents"] == []
    assert list(files(info, "remote_contents")) == ["compose.yaml"]


def test_a_deploy_brings_git_changes_live(full: CoreEmulator) -> None:
    started = call(full, "execute", "DeployStack", {"stack": "jellyfin"})
    deadline = time.monotonic() + 5
    update = started
    while update["status"] != "Complete" and time.monotonic() < deadline:
        time.sleep(0.05)
        update = call(full, "read", "GetUpdate", {"id": started["_id"]["$oid"]})
    assert update["success"]
    info = call(full, "read", "GetStack", {"stack": "jellyfin"})["info"]
    assert files(info, "deployed_contents") == files(info, "remote_contents")


def test_server_state(demo: Scenario) -> None:
    demo.servers += [
        {"name": "off", "enabled": False},
        {"name": "gone", "state": "NotOk"},
    ]
    with CoreEmulator(demo) as core:
        states = {
            name: call(core, "read", "GetServerState", {"server": name})["status"]
            for name in ("hearth", "off", "gone")
        }
        status, _ = post(core, "/read/GetServerState", {"server": "nope"})
    assert states == {"hearth": "Ok", "off": "Disabled", "gone": "NotOk"}
    assert status == 404


def test_stack_services_follow_the_stack_state(full: CoreEmulator) -> None:
    running = call(full, "read", "ListStackServices", {"stack": "monitoring"})
    assert [(s["service"], s["state"]) for s in running] == [
        ("prometheus", "Running"),
        ("grafana", "Running"),
        ("node-exporter", "Running"),
    ]
    assert running[0]["container"]["name"] == "monitoring-prometheus-1"
    assert running[0]["container"]["server_name"] == "hearth"


def test_unhealthy_and_down_stacks(demo: Scenario) -> None:
    demo.stacks = [
        {"name": "half", "services": ["a", "b"], "state": "unhealthy"},
        {"name": "off", "services": ["a"], "state": "down"},
    ]
    with CoreEmulator(demo) as core:
        half = call(core, "read", "ListStackServices", {"stack": "half"})
        off = call(core, "read", "ListStackServices", {"stack": "off"})
    assert [s["state"] for s in half] == ["Running", "Exited"]
    assert (off[0]["state"], off[0]["container"]) == ("Down", None)


def test_secrets_are_names_only(demo: Scenario) -> None:
    demo.secrets = ["GITHUB_TOKEN"]
    demo.servers[0]["secrets"] = ["PERIPHERY_ONLY"]
    with CoreEmulator(demo) as core:
        core_only = call(core, "read", "ListSecrets")
        server = call(core, "read", "ListServers", {"query": {"names": ["hearth"]}})
        target = {"type": "Server", "id": server[0]["id"]}
        with_server = call(core, "read", "ListSecrets", {"target": target})
    assert core_only == ["GITHUB_TOKEN"]
    assert with_server == ["GITHUB_TOKEN", "PERIPHERY_ONLY"]


# -- update log ------------------------------------------------------------------


def updates_at(stamps: list[int]) -> list[dict[str, Any]]:
    return [
        {
            "operation": "DeployStack",
            "target": {"type": "Stack", "name": "traefik"},
            "start_ts": stamp,
            "success": stamp % 7 != 0,
        }
        for stamp in stamps
    ]


@pytest.fixture
def log(demo: Scenario) -> Any:
    demo.updates = updates_at([1000 + 10 * n for n in range(500)])
    with CoreEmulator(demo) as core:
        yield core


def slice_stamps(core: CoreEmulator, query: dict[str, Any]) -> list[int]:
    stamps: list[int] = []
    page: int | None = 0
    while page is not None:
        answer = call(core, "read", "ListUpdates", {"query": query, "page": page})
        stamps += [u["start_ts"] for u in answer["updates"]]
        page = answer["next_page"]
    return stamps


def test_slices_hold_their_edges_newest_first(log: CoreEmulator) -> None:
    stamps = slice_stamps(log, {"start_ts": {"$gte": 2000, "$lte": 4000}})
    assert stamps == list(range(4000, 1999, -10))


def test_exclusive_bounds(log: CoreEmulator) -> None:
    stamps = slice_stamps(log, {"start_ts": {"$gt": 2000, "$lt": 2100}})
    assert stamps == list(range(2090, 2000, -10))


def test_slice_pages_and_other_filters(log: CoreEmulator) -> None:
    query = {"start_ts": {"$gte": 1000, "$lte": 5990}, "success": False}
    stamps = slice_stamps(log, query)
    assert stamps == [s for s in range(5990, 999, -10) if s % 7 == 0]
    first = call(log, "read", "ListUpdates", {"query": {"start_ts": {"$gte": 0}}})
    assert len(first["updates"]) == 100
    assert first["next_page"] == 1
    last = call(log, "read", "ListUpdates", {"page": 4})
    assert (len(last["updates"]), last["next_page"]) == (100, None)


def test_new_updates_join_the_index(log: CoreEmulator) -> None:
    started = call(log, "execute", "DeployStack", {"stack": "traefik"})
    newest = call(log, "read", "ListUpdates", {"query": {"start_ts": {"$gte": 10**12}}})
    assert [u["id"] for u in newest["updates"]] == [started["_id"]["$oid"]]


def test_scenario_updates_keep_their_logs(core: CoreEmulator) -> None:
    failed = call(core, "read", "ListUpdates", {"query": {"success": False}})
    for item in failed["updates"]:
        assert "logs" not in item
        whole = call(core, "read", "GetUpdate", {"id": item["id"]})
        assert whole["logs"][0]["stderr"]
        assert whole["end_ts"] > whole["start_ts"]


def test_unsupported_query_operator_is_refused(log: CoreEmulator) -> None:
    status, raw = post(log, "/read/ListUpdates", {"query": {"$where": "1"}})
    assert status == 400
    assert "$where" in json.loads(raw)["error"]


# -- batch executions --------------------------------------------------------------


def test_batch_skips_unknown_names_and_reports_refused_ones(demo: Scenario) -> None:
    demo = with_every_kind(demo)
    with CoreEmulator(demo) as core:
        raw = call(
            core,
            "execute",
            "BatchDeployStack",
            {"pattern": "uptime-kuma, no-such-stack, traefik"},
        )
        status, single = post(core, "/execute/DeployStack", {"stack": "uptime-kuma"})
    assert [item["status"] for item in raw] == ["Ok", "Err"]
    assert raw[0]["data"]["target"]["type"] == "Stack"
    assert raw[1]["data"] == {
        "name": "uptime-kuma",
        "error": {"error": "user does not have Execute permission", "trace": []},
    }
    assert status == 500
    assert json.loads(single)["error"] == "user does not have Execute permission"


def test_batch_run_procedure(core: CoreEmulator) -> None:
    raw = call(core, "execute", "BatchRunProcedure", {"pattern": "*"})
    assert [item["status"] for item in raw] == ["Ok", "Ok"]
    assert {item["data"]["operation"] for item in raw} == {"RunProcedure"}


def test_batch_with_a_bad_regex_is_refused(core: CoreEmulator) -> None:
    status, _ = post(core, "/execute/BatchDeployStack", {"pattern": "\\(\\"})
    assert status == 400
