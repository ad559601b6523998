"""The watcher's metrics, read back from the registry's text exposition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from komodo_guard.komodo.updates import Target, Update
from komodo_guard.live.snapshot import Incomplete, LiveSnapshot
from komodo_guard.live.views import Stack
from komodo_guard.notify.failing import ChannelHealth
from komodo_guard.rules.interface import ResourceRef, Severity
from komodo_guard.watch.metrics import TRACKED_CLASSES, Metrics, update
from komodo_guard.watch.model import CycleRecord, Outcome, TrackedFinding
from komodo_guard.watch.status import Heartbeat, Status
from tests.watch.helpers import EVERY, T0

HOUR = timedelta(hours=1)
WEB = Target("Stack", "id-web")
NOW = T0 + 10 * HOUR
Labels = tuple[tuple[str, str], ...]


def samples(metrics: Metrics) -> dict[tuple[str, Labels], float]:
    """Every sample of the exposition: (name, sorted labels) -> value."""
    text = metrics.exposition().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def series(metrics: Metrics, name: str) -> dict[Labels, float]:
    """The samples of one metric, by labels."""
    return {
        labels: value
        for (found, labels), value in samples(metrics).items()
        if found == name
    }


def tracked(
    code: str,
    name: str,
    severity: Severity = Severity.WARNING,
    resource: ResourceRef | None = None,
    first_seen: datetime = T0,
    since: datetime | None = None,
) -> TrackedFinding:
    return TrackedFinding(
        identity=f"{code}:{resource}",
        code=code,
        name=name,
        severity=severity,
        title=f"{code} {name}",
        message="a message that is never a label",
        hint="",
        resource=resource,
        path="",
        first_seen=first_seen,
        last_seen=first_seen,
        changed_at=first_seen,
        since=since,
    )


def cycle(
    ended: datetime, outcome: Outcome = Outcome.OK, took: float = 12.5
) -> CycleRecord:
    return CycleRecord(
        started=ended - timedelta(seconds=took),
        ended=ended,
        outcome=outcome,
        errors=0,
        warnings=0,
        infos=0,
        incomplete=0,
        transitions=0,
        reason="" if outcome is not Outcome.FAILED else "connection refused",
    )


def stack(ident: str, name: str) -> Stack:
    return Stack(
        id=ident,
        name=name,
        state="running",
        server_id="s1",
        server_name="box",
        missing_files=(),
        deployed_hash="",
        latest_hash="",
        project_missing=False,
        update_available=False,
        file_contents=True,
    )


def run(
    operation: str,
    at: datetime,
    success: bool = True,
    target: Target = WEB,
    status: str = "Complete",
) -> Update:
    ms = int(at.timestamp() * 1000)
    return Update(
        id=f"{operation}-{ms}",
        operation=operation,
        start_ts=ms,
        success=success,
        status=status,
        username="admin",
        operator="u1",
        target=target,
        end_ts=ms + 30_000 if status == "Complete" else 0,
    )


def snapshot(
    updates: Sequence[Update] = (),
    stacks: Sequence[Stack] = (stack("id-web", "web"), stack("id-db", "db")),
    incomplete: Sequence[Incomplete] = (),
) -> LiveSnapshot:
    return LiveSnapshot(
        url="http://127.0.0.1:9120",
        collected_at=NOW,
        window_days=30,
        refreshed=False,
        version="2.3.0",
        model_version=None,
        core=None,
        servers=(),
        stacks=tuple(stacks),
        deployments=(),
        syncs=(),
        procedures=(),
        actions=(),
        alerters=(),
        variables=(),
        updates=tuple(sorted(updates, key=lambda u: -u.start_ts)),
        alerts=(),
        incomplete=tuple(incomplete),
    )


def status(**fields: Any) -> Status:
    return replace(Status(interval=EVERY), **fields)


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


def test_the_registry_is_our_own(metrics: Metrics) -> None:
    update(metrics, status(), None, NOW)
    assert metrics.registry is not REGISTRY
    assert REGISTRY.get_sample_value("komodo_guard_blind_spots") is None
    names = {name for name, _ in samples(metrics)}
    assert "komodo_guard_blind_spots" in names
    assert not any(name.startswith(("python_", "process_")) for name in names)


def test_open_findings_by_class_and_severity(metrics: Metrics) -> None:
    findings = (
        tracked("KG1001", "sync-pending", resource=ResourceRef("resource_sync", "a")),
        tracked("KG1001", "sync-pending", resource=ResourceRef("resource_sync", "b")),
        tracked("KG1006", "stack-not-running", Severity.ERROR),
        tracked("KG9999", "from-the-future", Severity.INFO),
    )
    update(metrics, status(findings=findings), None, NOW)
    found = series(metrics, "komodo_guard_findings_open")

    def key(failure_class: str, severity: str) -> Labels:
        return (("failure_class", failure_class), ("severity", severity))

    assert found[key("sync-drift", "warning")] == 2
    assert found[key("silent-failure", "error")] == 1
    assert found[key("unknown", "info")] == 1
    assert found[key("exposure", "error")] == 0
    assert len(found) == len(TRACKED_CLASSES) * 3 + 1
    assert ("incomplete", "error") not in {
        (dict(labels)["failure_class"], dict(labels)["severity"]) for labels in found
    }


def test_sync_pending_seconds_from_when_it_began(metrics: Metrics) -> None:
    homelab = ResourceRef("resource_sync", "homelab")
    media = ResourceRef("resource_sync", "media")
    findings = (
        # Core says it began two hours before the watcher first saw it.
        tracked("KG1001", "sync-pending", resource=homelab, since=T0 - 2 * HOUR),
        tracked("KG1001", "sync-pending", resource=media, first_seen=T0 + 9 * HOUR),
    )
    update(metrics, status(findings=findings), None, NOW)
    assert series(metrics, "komodo_guard_sync_pending_seconds") == {
        (("sync", "homelab"),): 12 * 3600,
        (("sync", "media"),): 3600,
    }


def test_a_sync_no_longer_pending_loses_its_series(metrics: Metrics) -> None:
    homelab = ResourceRef("resource_sync", "homelab")
    update(
        metrics,
        status(findings=(tracked("KG1001", "sync-pending", resource=homelab),)),
        None,
        NOW,
    )
    update(metrics, status(), None, NOW + EVERY)
    assert series(metrics, "komodo_guard_sync_pending_seconds") == {}


def test_stack_behind_git_counts_changed_files_not_commit_only(
    metrics: Metrics,
) -> None:
    findings = (
        tracked("KG1008", "stack-behind-git", resource=ResourceRef("stack", "web")),
        tracked(
            "KG1008",
            "stack-behind-git",
            Severity.INFO,
            resource=ResourceRef("stack", "db"),
        ),
    )
    update(metrics, status(findings=findings), None, NOW)
    assert series(metrics, "komodo_guard_stack_behind_git_seconds") == {
        (("stack", "web"),): 10 * 3600
    }


def test_last_deploy_age_is_the_newest_success_per_stack(metrics: Metrics) -> None:
    updates = [
        run("DeployStack", NOW - 5 * HOUR),
        run("DeployStackIfChanged", NOW - 3 * HOUR),
        run("DeployStack", NOW - 1 * HOUR, success=False),
        run("DeployStack", NOW - 2 * HOUR, status="InProgress"),
        run("UpdateStack", NOW - HOUR / 2),
        run("DeployStack", NOW - 7 * HOUR, target=Target("Stack", "id-db")),
        run("DeployStack", NOW - HOUR, target=Target("Deployment", "id-db")),
        run("DeployStack", NOW - HOUR, target=Target("Stack", "id-gone")),
    ]
    update(metrics, status(), snapshot(updates), NOW)
    # The end of the run (30 s after its start) counts.
    assert series(metrics, "komodo_guard_stack_last_deploy_age_seconds") == {
        (("stack", "web"),): 3 * 3600 - 30,
        (("stack", "db"),): 7 * 3600 - 30,
    }


def test_without_a_snapshot_deploy_ages_keep_growing(metrics: Metrics) -> None:
    update(metrics, status(), snapshot([run("DeployStack", NOW - HOUR)]), NOW)
    update(metrics, status(), None, NOW + HOUR)
    assert series(metrics, "komodo_guard_stack_last_deploy_age_seconds") == {
        (("stack", "web"),): 2 * 3600 - 30
    }
    unreadable = snapshot(incomplete=[Incomplete("ListStacks", "HTTP 500")])
    update(metrics, status(), unreadable, NOW + 2 * HOUR)
    assert series(metrics, "komodo_guard_stack_last_deploy_age_seconds") == {
        (("stack", "web"),): 3 * 3600 - 30
    }


def test_failed_executions_by_operation(metrics: Metrics) -> None:
    updates = [
        run("DeployStack", NOW - HOUR, success=False),
        run("DeployStack", NOW - 2 * HOUR, success=False),
        run("RunSync", NOW - HOUR, success=False),
        run("UpdateStack", NOW - HOUR, success=False),
        run("PullStack", NOW - HOUR),
        run("RunBuild", NOW - HOUR, success=False, status="InProgress"),
    ]
    update(metrics, status(), snapshot(updates), NOW)
    assert series(metrics, "komodo_guard_failed_executions") == {
        (("operation", "DeployStack"),): 2,
        (("operation", "RunSync"),): 1,
    }
    update(metrics, status(), snapshot([]), NOW + EVERY)
    assert series(metrics, "komodo_guard_failed_executions") == {
        (("operation", "DeployStack"),): 0,
        (("operation", "RunSync"),): 0,
    }
    unread = snapshot(
        [run("RunSync", NOW, success=False)],
        incomplete=[Incomplete("ListUpdates", "timed out")],
    )
    update(metrics, status(), unread, NOW + 2 * EVERY)
    assert (
        series(metrics, "komodo_guard_failed_executions")[(("operation", "RunSync"),)]
        == 0
    )


def test_last_cycle_time_duration_and_outcome(metrics: Metrics) -> None:
    cycles = (cycle(NOW, Outcome.FAILED), cycle(NOW - EVERY, Outcome.DEGRADED, 3.0))
    update(metrics, status(cycles=cycles), None, NOW)
    found = samples(metrics)
    assert found["komodo_guard_last_cycle_duration_seconds", ()] == 12.5
    assert found["komodo_guard_last_cycle_end_timestamp_seconds", ()] == NOW.timestamp()
    assert (
        found["komodo_guard_last_good_cycle_end_timestamp_seconds", ()]
        == (NOW - EVERY).timestamp()
    )
    assert found["komodo_guard_cycle_interval_seconds", ()] == 300
    assert series(metrics, "komodo_guard_last_cycle_outcome") == {
        (("outcome", "ok"),): 0,
        (("outcome", "degraded"),): 0,
        (("outcome", "failed"),): 1,
    }


def test_before_any_cycle_no_outcome_is_set(metrics: Metrics) -> None:
    update(metrics, status(), None, NOW)
    assert set(series(metrics, "komodo_guard_last_cycle_outcome").values()) == {0}
    assert samples(metrics)["komodo_guard_last_cycle_end_timestamp_seconds", ()] == 0


def test_channel_and_heartbeat_health(metrics: Metrics) -> None:
    channels = (
        ChannelHealth("discord", NOW, 0, None, 0, 0, 0, None, None),
        ChannelHealth("ntfy", None, 4, NOW - HOUR, 3, 1, 0, NOW - HOUR, "HTTP 503"),
    )
    beat = Heartbeat(last_success=NOW - EVERY)
    update(metrics, status(channels=channels, heartbeat=beat), None, NOW)
    assert series(metrics, "komodo_guard_channel_consecutive_failures") == {
        (("channel", "discord"),): 0,
        (("channel", "ntfy"),): 4,
    }
    assert series(metrics, "komodo_guard_channel_undelivered") == {
        (("channel", "discord"),): 0,
        (("channel", "ntfy"),): 3,
    }
    assert (
        samples(metrics)["komodo_guard_heartbeat_last_success_timestamp_seconds", ()]
        == (NOW - EVERY).timestamp()
    )


def test_blind_spots_are_counted(metrics: Metrics) -> None:
    from komodo_guard.watch.model import BlindSpot

    spot = BlindSpot("cannot-check", "Komodo Core", "refused", T0, 3)
    update(metrics, status(blind_spots=(spot,)), None, NOW)
    assert samples(metrics)["komodo_guard_blind_spots", ()] == 1


def test_labels_are_names_only(metrics: Metrics) -> None:
    findings = (
        tracked("KG1001", "sync-pending", resource=ResourceRef("resource_sync", "a")),
    )
    channels = (ChannelHealth("mail", None, 1, None, 1, 0, 0, None, "secret-ish"),)
    update(
        metrics,
        status(findings=findings, channels=channels),
        snapshot(
            [run("DeployStack", NOW - HOUR, success=False), run("DeployStack", NOW)]
        ),
        NOW,
    )
    text = metrics.exposition().decode()
    assert "never a label" not in text
    assert "secret-ish" not in text
    label_names = {name for (_, labels) in samples(metrics) for name, _ in labels}
    assert label_names == {
        "failure_class",
        "severity",
        "sync",
        "stack",
        "operation",
        "outcome",
        "channel",
    }
