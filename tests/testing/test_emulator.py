"""The emulator's HTTP behaviour: loopback, auth, pagination, updates, faults."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from typing import Any

import pytest

from komodo_guard.testing import CoreEmulator, Fault, Scenario
from tests.testing.httpkit import call, post


def wait_complete(core: CoreEmulator, update_id: str) -> Any:
    deadline = time.monotonic() + 5
    while True:
        update = call(core, "read", "GetUpdate", {"id": update_id})
        if update["status"] == "Complete" or time.monotonic() > deadline:
            return update
        time.sleep(0.05)


def test_serves_on_loopback_and_stops(demo: Scenario) -> None:
    core = CoreEmulator(demo)
    core.start()
    host, port = core.url.removeprefix("http://").split(":")
    assert host == "127.0.0.1"
    assert call(core, "read", "GetVersion") == {"version": "2.3.2"}
    core.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=1).close()


def test_version_is_plain_text(core: CoreEmulator) -> None:
    connection = http.client.HTTPConnection(core.url.removeprefix("http://"), timeout=3)
    connection.request("GET", "/version")
    assert connection.getresponse().read() == b"2.3.2"
    connection.close()


@pytest.mark.parametrize(
    "headers",
    [{}, {"x-api-key": "key"}, {"x-api-key": "key", "x-api-secret": "wrong"}],
)
def test_refuses_missing_or_wrong_credentials(
    core: CoreEmulator, headers: dict[str, str]
) -> None:
    status, raw = post(core, "/read/ListStacks", {}, headers=headers)
    assert status == 401
    assert set(json.loads(raw)) == {"error", "trace"}


def test_typed_and_path_forms_agree(core: CoreEmulator) -> None:
    status, raw = post(
        core, "/read", {"type": "GetStack", "params": {"stack": "mealie"}}
    )
    assert status == 200
    assert json.loads(raw) == call(core, "read", "GetStack", {"stack": "mealie"})
    assert ("/read", "GetStack") in core.requests


def test_unknown_request_type_is_refused(core: CoreEmulator) -> None:
    status, raw = post(core, "/read/ListEverything", {})
    assert status == 422
    assert "ListEverything" in json.loads(raw)["error"]


def test_list_limit_and_page(core: CoreEmulator) -> None:
    names = [s["name"] for s in call(core, "read", "ListStacks", {"limit": 0})]
    assert names == sorted(names)
    assert len(names) == 7
    first = call(core, "read", "ListStacks", {"limit": 3, "page": 0})
    third = call(core, "read", "ListStacks", {"limit": 3, "page": 2})
    assert [s["name"] for s in first] == names[:3]
    assert [s["name"] for s in third] == names[6:]


def test_default_limit_is_core_pagination_limit(demo: Scenario) -> None:
    demo.stacks = [{"name": f"s{i:03}"} for i in range(60)]
    with CoreEmulator(demo) as core:
        assert len(call(core, "read", "ListStacks")) == 50
        assert len(call(core, "read", "ListStacks", {"limit": 0})) == 60


def test_list_updates_pages_newest_first(demo: Scenario) -> None:
    demo.updates = [
        {
            "operation": "DeployStack",
            "target": {"type": "Stack", "name": "traefik"},
            "ago": f"{i}m",
        }
        for i in range(150)
    ]
    with CoreEmulator(demo) as core:
        first = call(core, "read", "ListUpdates", {"page": 0})
        second = call(core, "read", "ListUpdates", {"page": 1})
    assert len(first["updates"]) == 100
    assert first["next_page"] == 1
    assert len(second["updates"]) == 50
    assert second["next_page"] is None
    stamps = [u["start_ts"] for u in first["updates"] + second["updates"]]
    assert stamps == sorted(stamps, reverse=True)


def test_list_updates_query(core: CoreEmulator) -> None:
    stacks = call(core, "read", "ListStacks", {"query": {"names": ["mealie"]}})
    query = {
        "target.type": "Stack",
        "target.id": stacks[0]["id"],
        "operation": "DeployStack",
        "success": False,
    }
    failed = call(core, "read", "ListUpdates", {"query": query})["updates"]
    assert len(failed) == 3
    oldest = min(u["start_ts"] for u in failed)
    recent = {**query, "start_ts": {"$gt": oldest}}
    assert len(call(core, "read", "ListUpdates", {"query": recent})["updates"]) == 2


def test_stack_state_query(core: CoreEmulator) -> None:
    query = {"specific": {"states": ["running"]}}
    assert len(call(core, "read", "ListStacks", {"query": query})) == 7
    query = {"specific": {"states": ["down"]}}
    assert call(core, "read", "ListStacks", {"query": query}) == []


def test_execute_progresses_to_complete(core: CoreEmulator) -> None:
    started = call(core, "execute", "DeployStack", {"stack": "traefik"})
    assert started["status"] == "InProgress"
    stacks = call(core, "read", "ListStacks", {"query": {"names": ["traefik"]}})
    assert stacks[0]["info"]["state"] == "deploying"
    done = wait_complete(core, started["_id"]["$oid"])
    assert done["status"] == "Complete"
    assert done["success"] is True
    assert done["end_ts"] >= done["start_ts"]


def test_failing_stack_gives_failed_update_with_git_log(core: CoreEmulator) -> None:
    started = call(core, "execute", "DeployStackIfChanged", {"stack": "mealie"})
    done = wait_complete(core, started["_id"]["$oid"])
    assert done["success"] is False
    assert "untracked working tree files" in done["logs"][0]["stderr"]


def test_run_sync_clears_pending_and_resolves_alert(core: CoreEmulator) -> None:
    assert call(core, "read", "ListResourceSyncs")[0]["info"]["state"] == "Pending"
    started = call(core, "execute", "RunSync", {"sync": "homelab"})
    assert call(core, "read", "ListResourceSyncs")[0]["info"]["state"] == "Syncing"
    assert wait_complete(core, started["_id"]["$oid"])["success"] is True
    assert call(core, "read", "ListResourceSyncs")[0]["info"]["state"] == "Ok"
    open_alerts = call(core, "read", "ListAlerts", {"query": {"resolved": False}})
    assert open_alerts["alerts"] == []


def test_variables_masked_for_non_admin(demo: Scenario) -> None:
    with CoreEmulator(demo, admin=False) as core:
        variables = {v["name"]: v["value"] for v in call(core, "read", "ListVariables")}
    assert variables["NTFY_TOPIC"] == "#" * len("demo-topic-not-a-real-secret")
    assert variables["DOMAIN"] == "example.net"


def test_unknown_resource_is_404(core: CoreEmulator) -> None:
    status, raw = post(core, "/execute/RunSync", {"sync": "nope"})
    assert status == 404
    assert "nope" in json.loads(raw)["error"]


# -- faults ------------------------------------------------------------------------


def test_latency_fault_delays_then_answers(core: CoreEmulator) -> None:
    core.inject("ListStacks", Fault("latency", seconds=0.3))
    began = time.monotonic()
    assert len(call(core, "read", "ListStacks")) == 7
    assert time.monotonic() - began >= 0.3


def test_status_fault_counts_down(core: CoreEmulator) -> None:
    core.inject("*", Fault("status", status=503, times=1))
    status, raw = post(core, "/read/ListStacks", {})
    assert status == 503
    assert set(json.loads(raw)) == {"error", "trace"}
    assert post(core, "/read/ListStacks", {})[0] == 200


def test_malformed_fault(core: CoreEmulator) -> None:
    core.inject("ListUpdates", Fault("malformed"))
    status, raw = post(core, "/read/ListUpdates", {})
    assert status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw)
    core.clear_faults()
    assert "updates" in call(core, "read", "ListUpdates")


def test_truncated_fault(core: CoreEmulator) -> None:
    core.inject("ListUpdates", Fault("truncated"))
    with pytest.raises(http.client.IncompleteRead):
        post(core, "/read/ListUpdates", {})


def test_hang_fault_times_out_and_stop_releases_it(demo: Scenario) -> None:
    core = CoreEmulator(demo)
    core.start()
    core.inject("ListStacks", Fault("hang"))
    with pytest.raises(TimeoutError):
        post(core, "/read/ListStacks", {}, timeout=0.3)
    outcome: list[BaseException | None] = []

    def blocked() -> None:
        try:
            post(core, "/read/ListStacks", {}, timeout=10)
            outcome.append(None)
        except (OSError, http.client.HTTPException) as error:
            outcome.append(error)

    waiter = threading.Thread(target=blocked)
    waiter.start()
    time.sleep(0.2)
    began = time.monotonic()
    core.stop()
    waiter.join(timeout=2)
    assert time.monotonic() - began < 1
    assert len(outcome) == 1
    assert outcome[0] is not None


def test_requests_are_logged(core: CoreEmulator) -> None:
    call(core, "read", "ListStacks")
    call(core, "read", "GetStack", {"stack": "traefik"})
    assert core.requests == [
        ("/read/ListStacks", "ListStacks"),
        ("/read/GetStack", "GetStack"),
    ]


def test_reset_fault_aborts_the_connection(core: CoreEmulator) -> None:
    core.inject("ListStacks", Fault("reset"))
    with pytest.raises(ConnectionResetError):
        post(core, "/read/ListStacks", {})


def test_close_fault_closes_without_an_answer(core: CoreEmulator) -> None:
    core.inject("ListStacks", Fault("close"))
    with pytest.raises(http.client.RemoteDisconnected):
        post(core, "/read/ListStacks", {})


def test_latency_option_delays_every_request(demo: Scenario) -> None:
    with CoreEmulator(demo, latency=0.2) as core:
        for path in ("/read/GetVersion", "/execute/RunSync"):
            began = time.monotonic()
            post(core, path, {"sync": "homelab"})
            assert time.monotonic() - began >= 0.2


def test_requests_are_served_concurrently(core: CoreEmulator) -> None:
    core.inject("ListStacks", Fault("hang"))

    def hung() -> None:
        with pytest.raises((OSError, http.client.HTTPException)):
            post(core, "/read/ListStacks", {}, timeout=2)

    held = threading.Thread(target=hung, daemon=True)
    held.start()
    deadline = time.monotonic() + 2
    while ("/read/ListStacks", "ListStacks") not in core.requests:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert call(core, "read", "GetVersion") == {"version": "2.3.2"}
    assert held.is_alive()
