"""Contract tests: every response the emulator gives parses with komodo-api's models.

komodo-api (PyPI, generated from Komodo's Rust types by typeshare) is an
independent model of Core's JSON. Besides pydantic validation, `unknown_keys`
fails on any key the model does not declare, so the emulator cannot invent fields.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from komodo_guard.testing import CoreEmulator
from tests.testing.httpkit import call, post
from tests.testing.test_emulator import wait_complete

types = pytest.importorskip("komodo_api.types")

READS: list[tuple[str, dict[str, Any]]] = [
    ("GetVersion", {}),
    ("GetCoreInfo", {}),
    ("ListServers", {}),
    ("ListFullServers", {}),
    ("GetServer", {"server": "hearth"}),
    ("ListStacks", {}),
    ("ListFullStacks", {}),
    ("GetStack", {"stack": "mealie"}),
    ("ListDeployments", {}),
    ("ListResourceSyncs", {}),
    ("GetResourceSync", {"sync": "homelab"}),
    ("ListFullResourceSyncs", {}),
    ("ListProcedures", {}),
    ("GetProcedure", {"procedure": "weekly-prune"}),
    ("GetAction", {"action": "rotate-logs"}),
    ("GetDeployment", {"deployment": "mongo-backup"}),
    ("GetBuild", {"build": "mealie-image"}),
    ("GetRepo", {"repo": "homelab-checkout"}),
    ("ListActions", {}),
    ("ListAlerters", {}),
    ("ListFullAlerters", {}),
    ("ListVariables", {}),
    ("GetVariable", {"name": "NTFY_TOPIC"}),
    ("ListTags", {}),
    ("ListUpdates", {}),
    ("ListAlerts", {}),
    ("ListBuilds", {}),
    ("ListRepos", {}),
    ("ListBuilders", {}),
    ("ListSwarms", {}),
    ("GetServerState", {"server": "hearth"}),
    ("ListStackServices", {"stack": "monitoring"}),
    ("ListStackServices", {"stack": "pihole"}),
    ("ListSecrets", {}),
    ("GetStack", {"stack": "jellyfin"}),
    ("GetStack", {"stack": "pihole"}),
    (
        "ListUpdates",
        {"query": {"start_ts": {"$gte": 0, "$lte": 2**62}, "success": False}},
    ),
    (
        "ListAlerts",
        {"query": {"$or": [{"resolved": False}, {"ts": {"$gte": 0}}]}},
    ),
]


def unknown_keys(parsed: Any, raw: Any, path: str = "$") -> list[str]:
    """JSON keys in `raw` that the komodo-api model behind `parsed` does not declare."""
    if isinstance(parsed, BaseModel) and isinstance(raw, dict):
        found = []
        declared = {}
        for name, field in type(parsed).model_fields.items():
            declared[field.alias or name] = name
        for key, value in raw.items():
            if key not in declared:
                found.append(f"{path}.{key}")
                continue
            found += unknown_keys(
                getattr(parsed, declared[key]), value, f"{path}.{key}"
            )
        return found
    if isinstance(parsed, list) and isinstance(raw, list):
        return [
            k
            for i, (p, r) in enumerate(zip(parsed, raw, strict=True))
            for k in unknown_keys(p, r, f"{path}[{i}]")
        ]
    return []


def assert_contract(response_type: str, raw: Any) -> None:
    model = getattr(types, response_type)
    parsed = TypeAdapter(model).validate_python(raw)
    assert unknown_keys(parsed, raw) == []


@pytest.mark.parametrize(
    ("kind", "params"), READS, ids=[f"{r[0]}-{i}" for i, r in enumerate(READS)]
)
def test_read_call_matches_komodo_types(
    full: CoreEmulator, kind: str, params: dict[str, Any]
) -> None:
    raw = call(full, "read", kind, params)
    assert raw, f"{kind} returned nothing to validate"
    assert_contract(f"{kind}Response", raw)


def test_get_update_with_logs_matches(core: CoreEmulator) -> None:
    listed = call(core, "read", "ListUpdates", {"query": {"success": False}})
    update = call(core, "read", "GetUpdate", {"id": listed["updates"][0]["id"]})
    assert update["logs"]
    assert_contract("Update", update)


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("DeployStack", {"stack": "traefik"}),
        ("DeployStackIfChanged", {"stack": "mealie"}),
        ("RunSync", {"sync": "homelab"}),
        ("RunProcedure", {"procedure": "weekly-prune"}),
        ("Deploy", {"deployment": "mongo-backup"}),
        ("RunBuild", {"build": "backup-image"}),
        ("PullRepo", {"repo": "homelab-checkout"}),
    ],
)
def test_execute_returns_an_update(
    core: CoreEmulator, kind: str, params: dict[str, Any]
) -> None:
    started = call(core, "execute", kind, params)
    assert_contract("Update", started)
    assert started["operation"] in {o.value for o in types.Operation}
    done = wait_complete(core, started["_id"]["$oid"])
    assert done["status"] == "Complete"
    assert done["logs"]
    assert_contract("Update", done)


@pytest.mark.parametrize(
    ("kind", "pattern"),
    [
        ("BatchDeploy", "mongo-*"),
        ("BatchRunBuild", "*"),
        ("BatchPullRepo", "*"),
    ],
)
def test_new_batch_calls_match(core: CoreEmulator, kind: str, pattern: str) -> None:
    raw = call(core, "execute", kind, {"pattern": pattern})
    assert [item["status"] for item in raw] == ["Ok"]
    assert_contract("Update", raw[0]["data"])
    assert set(raw[0]) == {"status", "data"}


def test_batch_execute_matches(core: CoreEmulator) -> None:
    raw = call(core, "execute", "BatchDeployStackIfChanged", {"pattern": "m*"})
    assert [item["status"] for item in raw] == ["Ok", "Ok"]
    assert_contract("BatchExecutionResponse", raw)


def test_batch_err_items_match(full: CoreEmulator) -> None:
    raw = call(full, "execute", "BatchDeployStack", {"pattern": "uptime-*, traefik"})
    assert [(item["status"], item["data"].get("name")) for item in raw] == [
        ("Ok", None),
        ("Err", "uptime-kuma"),
    ]
    assert raw[1]["data"]["error"]["error"] == "user does not have Execute permission"
    # komodo-api 2.3.3 names both the Err variant and its payload
    # `BatchExecutionResponseItemErr`; the payload class wins the module name, so
    # its union cannot parse an Err item. Check each part against its own type.
    assert_contract("Update", raw[0]["data"])
    assert set(raw[1]) == {"status", "data"}
    assert_contract("BatchExecutionResponseItemErr", raw[1]["data"])


def test_write_calls_match(core: CoreEmulator) -> None:
    assert_contract(
        "ResourceSync",
        call(core, "write", "RefreshResourceSyncPending", {"sync": "homelab"}),
    )
    assert_contract(
        "NoData", call(core, "write", "RefreshStackCache", {"stack": "traefik"})
    )
    params = {"name": "NTFY_TOPIC", "value": "new-topic"}
    assert_contract(
        "UpdateVariableValueResponse",
        call(core, "write", "UpdateVariableValue", params),
    )


def test_variable_update_log_matches(core: CoreEmulator) -> None:
    params = {"name": "DOMAIN", "value": "lab.test"}
    call(core, "write", "UpdateVariableValue", params)
    query = {"query": {"operation": "UpdateVariableValue"}}
    (listed,) = call(core, "read", "ListUpdates", query)["updates"]
    assert_contract("ListUpdatesResponse", {"updates": [listed], "next_page": None})
    assert_contract("Update", call(core, "read", "GetUpdate", {"id": listed["id"]}))


def test_error_body_matches_serror(core: CoreEmulator) -> None:
    status, raw = post(core, "/read/GetStack", {"stack": "nope"})
    assert status == 404
    assert_contract("_Serror", json.loads(raw))


def test_unknown_keys_catches_invented_fields() -> None:
    raw = {"version": "2.3.2", "invented": 1}
    parsed = TypeAdapter(types.GetVersionResponse).validate_python(raw)
    assert unknown_keys(parsed, raw) == ["$.invented"]
