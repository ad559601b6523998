"""collect_snapshot against a scripted fake Core: views, follow-ups, failures."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.live.client import CoreClient
from komodo_guard.live.fingerprint import fingerprint
from komodo_guard.live.snapshot import Incomplete, Step, collect_snapshot
from tests.live.fakecore import KEY, SECRET, URL, FakeCore

NOW = datetime(2026, 12, 1, tzinfo=UTC)
RUN_KEY = b"k" * 32


def stack(name: str, state: str = "running", **info: Any) -> dict[str, Any]:
    return {"id": f"id-{name}", "name": name, "info": {"state": state, **info}}


def sync(name: str, state: str) -> dict[str, Any]:
    return {"id": f"id-{name}", "name": name, "info": {"state": state}}


def answers(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "GetVersion": {"version": "2.3.1"},
        "GetCoreInfo": {"title": "home", "transparent_mode": True, "extra": 1},
        "ListServers": [{"id": "s1", "name": "nas", "info": {"state": "NotOk"}}],
        "ListStacks": [stack("web"), stack("db", "unhealthy", missing_files=["a.yml"])],
        "ListDeployments": [],
        "ListResourceSyncs": [sync("infra", "Pending"), sync("apps", "Ok")],
        "GetResourceSync": {
            "info": {
                "pending_hash": "abc1234",
                "resource_updates": [
                    {
                        "target": {"type": "Stack", "id": ""},
                        "data": {"type": "Create", "data": {"name": "new"}},
                    }
                ],
                "variable_updates": [
                    {"data": {"name": "TOKEN", "proposed": "plain-secret-value"}}
                ],
            }
        },
        "ListProcedures": [
            {"id": "p1", "name": "nightly", "info": {"state": "Failed"}}
        ],
        "ListActions": [],
        "ListFullAlerters": [
            {
                "id": "al1",
                "name": "discord",
                "config": {
                    "enabled": True,
                    "endpoint": {"type": "Discord", "params": {"url": "https://x/t0k"}},
                    "alert_types": ["StackStateChange"],
                },
            }
        ],
        "ListVariables": [
            {"name": "TOKEN", "value": "hunter2-value", "is_secret": True},
            {"name": "MASKED", "value": "#######", "is_secret": True},
            {"name": "DOMAIN", "value": "example.org", "is_secret": False},
        ],
        "ListUpdates": {
            "updates": [{"id": "u1", "operation": "RunSync", "start_ts": 7}],
            "next_page": None,
        },
        "ListAlerts": {"alerts": [], "next_page": None},
        "ListFullStacks": [],
        "ListBuilds": [],
        "ListRepos": [],
        "ListBuilders": [],
        "ListSwarms": [],
    }
    base.update(overrides)
    return base


def collect(core: FakeCore, **options: Any) -> Any:
    client = CoreClient(URL, KEY, SECRET, retries=0, transport=core.transport())
    return collect_snapshot(client, now=NOW, fingerprint_key=RUN_KEY, **options)


def test_collects_every_kind_once() -> None:
    core = FakeCore(answers())
    snapshot = collect(core)
    assert snapshot.complete
    assert snapshot.version == "2.3.1"
    assert snapshot.model_version == KomodoVersion.parse("2.3.2")
    assert snapshot.core is not None
    assert snapshot.core.transparent_mode
    assert [s.state for s in snapshot.servers] == ["NotOk"]
    assert snapshot.stacks[1].missing_files == ("a.yml",)
    assert snapshot.procedures[0].state == "Failed"
    assert snapshot.alerters[0].endpoint_type == "Discord"
    assert [u.id for u in snapshot.updates] == ["u1"]
    calls = [kind for _, kind, _ in core.calls]
    assert sorted(calls) == sorted({*calls})  # no call twice
    assert all(path == "/read" for path, _, _ in core.calls)


def test_pending_details_only_for_pending_or_failed_syncs() -> None:
    core = FakeCore(answers())
    snapshot = collect(core)
    details = [params for _, kind, params in core.calls if kind == "GetResourceSync"]
    assert details == [{"sync": "id-infra"}]
    infra, apps = snapshot.syncs
    assert apps.pending is None
    assert infra.pending is not None
    assert infra.pending.pending_hash == "abc1234"
    assert infra.pending.resource_updates[0].name == "new"
    assert infra.pending.variable_updates == ("TOKEN",)


def test_no_secret_value_is_kept_anywhere() -> None:
    snapshot = collect(FakeCore(answers()))
    shown = repr(snapshot)
    for value in (
        "hunter2-value",
        "plain-secret-value",
        "https://x/t0k",
        "example.org",
    ):
        assert value not in shown


def test_variables_are_fingerprinted_and_masked_values_are_not() -> None:
    variables = {v.name: v for v in collect(FakeCore(answers())).variables}
    assert variables["TOKEN"].fingerprint == fingerprint(RUN_KEY, "hunter2-value")
    assert variables["TOKEN"].is_secret
    assert variables["MASKED"].fingerprint is None
    assert variables["DOMAIN"].fingerprint == fingerprint(RUN_KEY, "example.org")


def test_random_key_per_run_by_default() -> None:
    core = FakeCore(answers())
    client = CoreClient(URL, KEY, SECRET, transport=core.transport())
    first = collect_snapshot(client, now=NOW).variables[0].fingerprint
    second = collect_snapshot(client, now=NOW).variables[0].fingerprint
    assert first != second


def test_updates_are_asked_for_the_window() -> None:
    core = FakeCore(answers())
    collect(core, window_days=7)
    (params,) = [params for _, kind, params in core.calls if kind == "ListUpdates"]
    since = int(datetime(2026, 11, 24, tzinfo=UTC).timestamp() * 1000)
    assert params["query"]["start_ts"]["$gte"] == since
    assert params["query"]["start_ts"]["$lte"] >= NOW.timestamp() * 1000
    (alerts,) = [params for _, kind, params in core.calls if kind == "ListAlerts"]
    window = [{"resolved": False}, {"ts": {"$gte": since}}]
    assert alerts == {"query": {"$or": window}, "page": 0}


def test_lists_ask_for_everything() -> None:
    core = FakeCore(answers())
    collect(core)
    listed = [params for _, kind, params in core.calls if kind.startswith("List")]
    assert {"limit": 0} in listed
    assert all(params.get("limit") == 0 or "page" in params for params in listed)


def test_a_failed_call_is_incomplete_and_the_rest_is_collected() -> None:
    core = FakeCore(
        answers(
            ListStacks=httpx.Response(500, json={"error": "db gone", "trace": []}),
            GetResourceSync=httpx.Response(404, json={"error": "no sync", "trace": []}),
        )
    )
    snapshot = collect(core)
    assert snapshot.stacks == ()
    assert snapshot.could_not_read("ListStacks")
    assert len(snapshot.servers) == 1
    assert set(snapshot.incomplete) == {
        Incomplete("ListStacks", "Core answered 500: db gone"),
        Incomplete("GetResourceSync", "Core answered 404: no sync", "infra"),
    }


def test_unexpected_shape_is_incomplete() -> None:
    snapshot = collect(FakeCore(answers(ListServers={"servers": []})))
    assert snapshot.incomplete == (
        Incomplete("ListServers", "expected an array of objects, got an object"),
    )


@pytest.mark.parametrize(
    ("call", "answer", "reason"),
    [
        (
            "ListStacks",
            ["a", 1, None],
            "expected an array of objects, item 1 is a string",
        ),
        (
            "ListStacks",
            [stack("web"), {"id": "x", "name": "db", "info": None}],
            "item 2 ('db') has no `info` object",
        ),
        ("ListServers", [{"id": "s1"}], "item 1 has no `info` object"),
        (
            "ListFullAlerters",
            [{"name": "ntfy", "config": []}],
            "item 1 ('ntfy') has no `config` object",
        ),
        (
            "ListUpdates",
            [],
            "expected an object holding the `updates` array, got an array",
        ),
        ("ListUpdates", {}, "answer has no `updates` array"),
        ("ListAlerts", {"next_page": None}, "answer has no `alerts` array"),
        ("GetCoreInfo", [], "expected an object, got an array"),
        ("GetResourceSync", "infra", "expected an object, got a string"),
    ],
)
def test_a_wrongly_shaped_answer_is_incomplete_not_data(
    call: str, answer: Any, reason: str
) -> None:
    snapshot = collect(FakeCore(answers(**{call: answer})))
    about = "infra" if call == "GetResourceSync" else ""
    assert snapshot.incomplete == (Incomplete(call, reason, about),)
    assert len(snapshot.servers) == (call != "ListServers")
    assert snapshot.core is None if call == "GetCoreInfo" else snapshot.core


def test_a_wrong_get_update_answer_is_incomplete_for_that_update() -> None:
    snapshot = collect(FakeCore(answers(ListUpdates=STREAKS, GetUpdate=[])))
    assert {entry.reason for entry in snapshot.incomplete} == {
        "expected an object, got an array"
    }
    assert not any(u.logs for u in snapshot.updates)


def test_updates_without_id_or_start_time_are_ignored_and_counted() -> None:
    listed = {
        "updates": [
            {"id": "u1", "operation": "RunSync", "start_ts": 9},
            {"operation": "DeployStack", "start_ts": 8},
            {"id": "u3", "operation": "DeployStack"},
            {"id": "u4", "operation": "DeployStack", "start_ts": True},
            {"_id": {"$oid": "u5"}, "start_ts": 5},
        ],
        "next_page": None,
    }
    snapshot = collect(FakeCore(answers(ListUpdates=listed)))
    assert [u.id for u in snapshot.updates] == ["u1", "u5"]
    assert snapshot.incomplete == (
        Incomplete("ListUpdates", "3 updates without id or start time were ignored"),
    )


def test_unsupported_version_is_incomplete_but_kept() -> None:
    snapshot = collect(FakeCore(answers(GetVersion={"version": "0.9.0"})))
    assert snapshot.version == "0.9.0"
    assert snapshot.model_version is None
    assert snapshot.could_not_read("GetVersion")


def test_lenient_views_tolerate_missing_and_odd_optional_fields() -> None:
    odd = [{"name": "bare", "info": {}}, {"id": 3, "info": {"state": None}}]
    snapshot = collect(FakeCore(answers(ListStacks=odd)))
    assert snapshot.complete, snapshot.incomplete
    assert [(s.name, s.state, s.id) for s in snapshot.stacks] == [
        ("bare", "", ""),
        ("", "", ""),
    ]


def test_refresh_writes_first_then_reads() -> None:
    core = FakeCore(answers(RefreshResourceSyncPending={}, RefreshStackCache={}))
    snapshot = collect(core, refresh=True)
    writes = [(kind, params) for path, kind, params in core.calls if path == "/write"]
    assert sorted(writes, key=str) == sorted(
        [
            ("RefreshResourceSyncPending", {"sync": "id-infra"}),
            ("RefreshResourceSyncPending", {"sync": "id-apps"}),
            ("RefreshStackCache", {"stack": "id-web"}),
            ("RefreshStackCache", {"stack": "id-db"}),
        ],
        key=str,
    )
    kinds = [kind for _, kind, _ in core.calls]
    last_write = max(i for i, call in enumerate(core.calls) if call[0] == "/write")
    assert kinds[0] == "GetVersion"  # the version decides which calls exist
    assert last_write < kinds.index("GetCoreInfo")
    assert snapshot.refreshed


def test_no_writes_without_refresh() -> None:
    core = FakeCore(answers())
    assert not collect(core).refreshed
    assert all(path == "/read" for path, _, _ in core.calls)


def test_failed_refresh_is_incomplete() -> None:
    refused = httpx.Response(403, json={"error": "needs Execute", "trace": []})
    core = FakeCore(answers(RefreshResourceSyncPending=refused, RefreshStackCache={}))
    snapshot = collect(core, refresh=True)
    assert {(e.call, e.resource) for e in snapshot.incomplete} == {
        ("RefreshResourceSyncPending", "infra"),
        ("RefreshResourceSyncPending", "apps"),
    }
    (group,) = snapshot.unread
    assert group.message == (
        "could not refresh the pending changes of 2 syncs (e.g. 'apps', 'infra'): "
        "Core refused (403): needs Execute; the API key needs write permission "
        "for RefreshResourceSyncPending; their checks used the pending changes "
        "Core had cached"
    )


def test_progress_reports_every_call_with_a_growing_total() -> None:
    steps: list[Step] = []
    collect(FakeCore(answers()), progress=steps.append)
    *calls, last = steps
    assert len(calls) == 18  # 17 calls + one GetResourceSync
    assert [step.done for step in calls] == list(range(1, 19))
    assert calls[-1].total == 18
    assert all(step.done <= step.total for step in calls)
    assert not any(step.finished for step in calls)
    assert (last.finished, last.done, last.total) == (True, 18, 18)
    assert [step.phase for step in calls[:2]] == ["version", "resources"]


def test_progress_over_every_phase_counts_on() -> None:
    steps: list[Step] = []
    core = FakeCore(
        answers(
            RefreshResourceSyncPending={},
            RefreshStackCache={},
            ListUpdates=STREAKS,
            GetUpdate=with_logs,
        )
    )
    collect(core, refresh=True, progress=steps.append)
    phases = list(dict.fromkeys(step.phase for step in steps))
    assert phases == ["version", "refresh", "resources", "failure logs"]
    assert [step.done for step in steps[:-1]] == list(range(1, len(steps)))
    assert steps[-1].finished


def test_progress_is_finished_when_interrupted() -> None:
    steps: list[Step] = []

    def interrupt(params: dict[str, Any]) -> Any:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        collect(FakeCore(answers(ListStacks=interrupt)), progress=steps.append)
    assert steps[-1].finished


# -- update log, alerts and versions -------------------------------------------


def deploy(ident: str, start: int, success: bool, target: str = "id-web") -> Any:
    return {
        "id": ident,
        "operation": "DeployStack",
        "start_ts": start,
        "success": success,
        "status": "Complete",
        "username": "Git Webhook",
        "operator": "000000000000000000000003",
        "target": {"type": "Stack", "id": target},
    }


def with_logs(params: dict[str, Any]) -> dict[str, Any]:
    """GetUpdate: the whole Update with its log, and no ``username`` (as Core)."""
    (listed,) = [u for u in STREAKS["updates"] if u["id"] == params["id"]]
    whole = {key: value for key, value in listed.items() if key != "username"}
    del whole["id"]
    return {
        **whole,
        "_id": {"$oid": params["id"]},
        "end_ts": 5,
        "logs": [{"stage": "Git Pull", "stderr": f"failed {params['id']}"}],
    }


STREAKS: dict[str, Any] = {
    "updates": [
        deploy("f4", 60, False),
        deploy("ok", 50, True),
        deploy("f3", 40, False),
        deploy("f2", 30, False),
        deploy("f1", 20, False),
        deploy("db-fail", 10, False, target="id-db"),
    ],
    "next_page": None,
}


def test_logs_are_read_for_streak_ends_only() -> None:
    core = FakeCore(answers(ListUpdates=STREAKS, GetUpdate=with_logs))
    snapshot = collect(core)
    asked = sorted(p["id"] for _, kind, p in core.calls if kind == "GetUpdate")
    assert asked == ["db-fail", "f1", "f3", "f4"]
    logged = {u.id: u.logs[0].stderr for u in snapshot.updates if u.logs}
    assert logged == {i: f"failed {i}" for i in asked}
    assert [u.id for u in snapshot.updates] == ["f4", "ok", "f3", "f2", "f1", "db-fail"]
    f3 = next(u for u in snapshot.updates if u.id == "f3")
    assert (f3.end_ts, f3.username) == (5, "Git Webhook")


def test_update_targets_carry_resource_names() -> None:
    snapshot = collect(FakeCore(answers(ListUpdates=STREAKS, GetUpdate=with_logs)))
    names = {u.id: u.target.name for u in snapshot.updates}
    assert names["f1"] == "web"
    assert names["db-fail"] == "db"
    assert str(snapshot.updates[0].target) == "Stack web"


def test_a_failed_log_read_is_incomplete_for_that_update() -> None:
    refused = httpx.Response(500, json={"error": "db gone", "trace": []})
    snapshot = collect(FakeCore(answers(ListUpdates=STREAKS, GetUpdate=refused)))
    at = "DeployStack at 1970-01-01 00:00 UTC"
    assert sorted((e.call, e.resource) for e in snapshot.incomplete) == [
        ("GetUpdate", f"Stack {name}: {at}") for name in ("db", "web", "web", "web")
    ]
    assert len(snapshot.updates) == 6
    assert not any(u.logs for u in snapshot.updates)


def alert(ident: str, ts: int, resolved: bool) -> dict[str, Any]:
    return {
        "_id": {"$oid": ident},
        "ts": ts,
        "resolved": resolved,
        "level": "WARNING",
        "target": {"type": "Server", "id": "s1"},
        "data": {"type": "ServerUnreachable", "data": {}},
    }


def test_alerts_of_the_window_and_older_open_ones() -> None:
    listed = {
        "alerts": [alert("new", 2, True), alert("old-open", 1, False)],
        "next_page": None,
    }
    snapshot = collect(FakeCore(answers(ListAlerts=listed)))
    assert [a.id for a in snapshot.alerts] == ["new", "old-open"]
    assert [a.id for a in snapshot.open_alerts] == ["old-open"]
    assert snapshot.alerts[0].kind == "ServerUnreachable"


def test_endless_alert_pages_are_cut_and_said() -> None:
    def endless(params: dict[str, Any]) -> dict[str, Any]:
        page = params["page"]
        return {"alerts": [alert(f"a{page}", page, True)], "next_page": page + 1}

    snapshot = collect(FakeCore(answers(ListAlerts=endless)))
    (entry,) = snapshot.incomplete
    assert entry.call == "ListAlerts"
    assert entry.reason.startswith("stopped after 200 items")
    assert len(snapshot.alerts) == 200


@pytest.mark.parametrize(("version", "swarms"), [("1.19.5", False), ("2.0.0", True)])
def test_swarms_are_read_from_komodo_2_on(version: str, swarms: bool) -> None:
    core = FakeCore(answers(GetVersion={"version": version}))
    snapshot = collect(core)
    assert snapshot.complete, snapshot.incomplete
    assert (core.count("ListSwarms") == 1) is swarms
    assert snapshot.names("swarm") == frozenset()


def test_every_kind_has_its_names() -> None:
    listed = [{"id": "b1", "name": "image"}]
    snapshot = collect(FakeCore(answers(ListBuilds=listed, ListRepos=listed)))
    assert snapshot.names("build") == {"image"}
    assert snapshot.names("repo") == {"image"}
    assert snapshot.names("builder") == frozenset()
    assert snapshot.names("stack") == {"web", "db"}
    assert snapshot.names("variable") is None


def test_stacks_carry_their_file_differences() -> None:
    full = [
        {
            "_id": {"$oid": "id-web"},
            "info": {
                "deployed_contents": [{"path": "compose.yaml", "contents": "a"}],
                "remote_contents": [{"path": "compose.yaml", "contents": "b"}],
                "remote_errors": [{"path": "extra.yaml", "contents": "gone"}],
            },
        }
    ]
    snapshot = collect(FakeCore(answers(ListFullStacks=full)))
    web, db = snapshot.stacks
    assert (web.changed_files, web.remote_errors) == (
        ("compose.yaml",),
        ("extra.yaml",),
    )
    assert (db.changed_files, db.remote_errors) == ((), ())
    assert '"contents"' not in repr(snapshot)
    assert "gone" not in repr(snapshot)


def test_an_unexpected_failure_is_incomplete_not_a_crash() -> None:
    def broken(params: dict[str, Any]) -> Any:
        raise RuntimeError("a bug somewhere below the client")

    snapshot = collect(FakeCore(answers(ListRepos=broken)))
    (entry,) = snapshot.incomplete
    assert entry == Incomplete("ListRepos", "could not read the answer (RuntimeError)")
    assert len(snapshot.stacks) == 2


def test_the_garbage_collector_is_restored() -> None:
    import gc

    collect(FakeCore(answers()))
    assert gc.isenabled()
    gc.disable()
    try:
        collect(FakeCore(answers()))
        assert not gc.isenabled()
    finally:
        gc.enable()
