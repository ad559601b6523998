"""stack-not-running: states, missing files, and how long."""

from __future__ import annotations

from datetime import timedelta

import pytest

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.live.common import moment
from komodo_guard.rules.live.stack_not_running import RULE
from tests.rules.live.livekit import (
    messages,
    ms,
    run,
    snapshot,
    stack,
    target,
    unread,
    update,
)

DAY = timedelta(days=1)
MEALIE = target("stack", "mealie")


def test_down_since_the_first_failed_deploy() -> None:
    snap = snapshot(
        stacks=[stack("mealie", "down")],
        updates=[
            update("DeployStack", MEALIE, 6 * DAY),
            update("DeployStack", MEALIE, 5 * DAY, success=False),
            update("DeployStackIfChanged", MEALIE, DAY, success=False),
        ],
    )
    (finding,) = run(RULE, snap)
    assert finding.message == "stack 'mealie' on server 'hearth' is down for 5 days"
    assert finding.severity is Severity.ERROR
    assert finding.since == moment(ms(5 * DAY))


def test_stopped_on_purpose_is_info_since_the_stop() -> None:
    snap = snapshot(
        stacks=[stack("mealie", "stopped")],
        updates=[
            update("DeployStack", MEALIE, 6 * DAY),
            update("StopStack", MEALIE, 2 * DAY + timedelta(hours=1)),
        ],
    )
    (finding,) = run(RULE, snap)
    assert finding.severity is Severity.INFO
    assert finding.message.endswith("is stopped for 2 days 1 hour")
    assert "deploy = true" in finding.hint


def test_missing_files_and_project() -> None:
    broken = stack(
        "app", "unhealthy", missing_files=("compose.yaml",), project_missing=True
    )
    (finding,) = run(RULE, snapshot(stacks=[broken]))
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "stack 'app' on server 'hearth' is unhealthy and missing its compose "
        "project on the host and missing files compose.yaml"
    )


@pytest.mark.parametrize(
    ("state", "severity"),
    [
        ("unhealthy", Severity.WARNING),
        ("restarting", Severity.ERROR),
        ("paused", Severity.INFO),
    ],
)
def test_severity_by_state(state: str, severity: Severity) -> None:
    (finding,) = run(RULE, snapshot(stacks=[stack("app", state)]))
    assert finding.severity is severity


def test_passing_disabled_and_unread() -> None:
    quiet = [stack("a"), stack("b", "deploying"), stack("c", "unknown")]
    assert run(RULE, snapshot(stacks=quiet)) == []
    down = snapshot(stacks=[stack("a", "down")])
    assert run(RULE, down, disabled=[RULE.code]) == []
    unreadable = snapshot(stacks=[stack("a", "down")], incomplete=unread("ListStacks"))
    assert messages(run(RULE, unreadable)) == []
