"""collect_snapshot against a scripted fake Core: views, follow-ups, failures."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

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
            "updates": [{"id": "u1", "operation": "RunSync"}],
            "next_page": None,
        },
        "ListAlerts": {"alerts": [], "next_page": None},
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
    assert params == {"query": {"start_ts": {"$gte": since}}, "page": 0}
    (alerts,) = [params for _, kind, params in core.calls if kind == "ListAlerts"]
    assert alerts == {"query": {"resolved": False}, "page": 0}


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
        Incomplete("ListServers", "expected a JSON array, got object"),
    )


def test_unsupported_version_is_incomplete_but_kept() -> None:
    snapshot = collect(FakeCore(answers(GetVersion={"version": "0.9.0"})))
    assert snapshot.version == "0.9.0"
    assert snapshot.model_version is None
    assert snapshot.could_not_read("GetVersion")


def test_lenient_views_tolerate_missing_and_odd_fields() -> None:
    odd = [{"name": "bare"}, "not an object", {"id": 3, "info": {"state": None}}]
    snapshot = collect(FakeCore(answers(ListStacks=odd)))
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
    last_write = max(i for i, call in enumerate(core.calls) if call[0] == "/write")
    version_read = [kind for _, kind, _ in core.calls].index("GetVersion")
    assert last_write < version_read
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


def test_progress_reports_every_call_with_a_growing_total() -> None:
    steps: list[Step] = []
    collect(FakeCore(answers()), progress=steps.append)
    assert len(steps) == 13  # 12 kinds + one GetResourceSync
    assert [step.done for step in steps] == list(range(1, 14))
    assert steps[-1].total == 13
    assert all(step.done <= step.total for step in steps)
