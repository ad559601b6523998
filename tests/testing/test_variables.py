"""Variables in the emulator: GetVariable, ListVariables and UpdateVariableValue,
with Core's masking for non-admins, its errors and its update log."""

from __future__ import annotations

import json

import pytest

from komodo_guard.testing import CoreEmulator, Scenario
from tests.testing.httpkit import call, post

NEW_SECRET = "rotated-topic-9Qe2"


def variables(core: CoreEmulator) -> dict[str, str]:
    return {v["name"]: v["value"] for v in call(core, "read", "ListVariables")}


def test_get_variable_answers_one_variable(core: CoreEmulator) -> None:
    assert call(core, "read", "GetVariable", {"name": "TZ"}) == {
        "name": "TZ",
        "description": "",
        "value": "Europe/Berlin",
        "is_secret": False,
    }


def test_update_changes_the_value_get_and_list_show(core: CoreEmulator) -> None:
    answer = call(
        core, "write", "UpdateVariableValue", {"name": "DOMAIN", "value": "lab.test"}
    )
    assert answer == {
        "name": "DOMAIN",
        "description": "",
        "value": "lab.test",
        "is_secret": False,
    }
    assert call(core, "read", "GetVariable", {"name": "DOMAIN"})["value"] == "lab.test"
    assert variables(core)["DOMAIN"] == "lab.test"


def test_a_change_is_logged_as_a_completed_system_update(core: CoreEmulator) -> None:
    params = {"name": "NTFY_TOPIC", "value": NEW_SECRET}
    call(core, "write", "UpdateVariableValue", params)
    query = {"query": {"operation": "UpdateVariableValue"}}
    (listed,) = call(core, "read", "ListUpdates", query)["updates"]
    assert listed["target"] == {"type": "System", "id": ""}
    assert (listed["status"], listed["success"]) == ("Complete", True)
    update = call(core, "read", "GetUpdate", {"id": listed["id"]})
    (log,) = update["logs"]
    assert log["stage"] == "Update Variable Value"
    # Core masks a secret's old value in the log, but not its new one.
    assert "demo-topic-not-a-real-secret" not in log["stdout"]
    assert f"from: {'#' * len('demo-topic-not-a-real-secret')}" in log["stdout"]
    assert NEW_SECRET in log["stdout"]


def test_the_same_value_changes_nothing_and_logs_nothing(core: CoreEmulator) -> None:
    before = call(core, "read", "ListUpdates")["updates"]
    params = {"name": "TZ", "value": "Europe/Berlin"}
    assert call(core, "write", "UpdateVariableValue", params)["value"] == (
        "Europe/Berlin"
    )
    assert call(core, "read", "ListUpdates")["updates"] == before


def test_an_unknown_name_is_core_s_error(core: CoreEmulator) -> None:
    status, raw = post(
        core, "/write/UpdateVariableValue", {"name": "NOPE", "value": "x"}
    )
    assert status == 500
    assert json.loads(raw) == {
        "error": "no variable found with given name: NOPE",
        "trace": [],
    }
    status, raw = post(core, "/read/GetVariable", {"name": "NOPE"})
    assert (status, json.loads(raw)["error"]) == (
        500,
        "no variable found with given name: NOPE",
    )


@pytest.mark.parametrize(
    "params", [{"name": "TZ"}, {"value": "x"}, {"name": "TZ", "value": 3}]
)
def test_missing_fields_are_refused(
    core: CoreEmulator, params: dict[str, object]
) -> None:
    status, _ = post(core, "/write/UpdateVariableValue", params)
    assert status == 422
    assert variables(core)["TZ"] == "Europe/Berlin"


def test_non_admins_may_not_update_and_see_secrets_masked(demo: Scenario) -> None:
    with CoreEmulator(demo, admin=False) as core:
        params = {"name": "DOMAIN", "value": "lab.test"}
        status, raw = post(core, "/write/UpdateVariableValue", params)
        assert status == 403
        assert json.loads(raw)["error"] == "Only Admins can update Variables"
        assert variables(core)["DOMAIN"] == "example.net"
        secret = call(core, "read", "GetVariable", {"name": "NTFY_TOPIC"})
    assert secret["value"] == "#" * len("demo-topic-not-a-real-secret")
    assert secret["is_secret"] is True


def test_masking_counts_bytes_as_core_does(demo: Scenario) -> None:
    demo.variables.append({"name": "PIN", "value": "größe", "is_secret": True})
    with CoreEmulator(demo, admin=False) as core:
        assert variables(core)["PIN"] == "#" * 7


def test_an_update_does_not_change_the_scenario(demo: Scenario) -> None:
    with CoreEmulator(demo) as core:
        params = {"name": "DOMAIN", "value": "lab.test"}
        call(core, "write", "UpdateVariableValue", params)
    with CoreEmulator(demo) as again:
        assert variables(again)["DOMAIN"] == "example.net"
