"""The client and collector against the Core emulator, over real loopback HTTP."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.live import update_log
from komodo_guard.live.client import CoreClient
from komodo_guard.live.errors import CoreAuthError, CoreResponseError
from komodo_guard.live.snapshot import LiveSnapshot, collect_snapshot
from komodo_guard.testing.emulator import CoreEmulator, Fault
from komodo_guard.testing.scenario import Scenario


def scenario() -> Scenario:
    return Scenario(
        version="2.3.2",
        servers=[{"name": "nas"}],
        stacks=[{"name": f"stack-{n:04}"} for n in range(1000)],
        syncs=[
            {
                "name": "infra",
                "pending": [{"type": "Stack", "op": "Create", "name": "x"}],
            },
            {"name": "broken", "pending_error": "cannot clone"},
            *({"name": f"quiet-{n}"} for n in range(20)),
        ],
        variables=[
            {"name": "TOKEN", "value": "emulated-secret", "is_secret": True},
            {"name": "DOMAIN", "value": "example.org"},
        ],
        updates=[
            {
                "operation": "DeployStack",
                "target": {"type": "Stack", "name": "stack-0001"},
                "ago": f"{n}m",
            }
            for n in range(250)
        ]
        + [
            {
                "operation": "RunSync",
                "target": {"type": "ResourceSync", "name": "infra"},
                "ago": "40d",
            }
        ],
    )


@pytest.fixture
def core() -> Iterator[CoreEmulator]:
    with CoreEmulator(scenario(), api_key="key", api_secret="secret") as emulator:
        yield emulator


def client(core: CoreEmulator, **options: Any) -> CoreClient:
    return CoreClient(core.url, "key", "secret", **options)


def counts(core: CoreEmulator) -> Counter[str]:
    return Counter(call for _, call in core.requests)


def collect(core: CoreEmulator, **options: Any) -> LiveSnapshot:
    return collect_snapshot(client(core, timeout=2.0, retries=1), **options)


def test_no_call_per_resource(core: CoreEmulator) -> None:
    snapshot = collect(core)
    assert snapshot.complete, snapshot.incomplete
    assert len(snapshot.stacks) == 1000
    assert len(snapshot.syncs) == 22
    assert len(snapshot.updates) == 250  # the 40-day-old one is outside the window
    seen = counts(core)
    # The first page of 100, then time slices of the rest of the window.
    assert 3 <= seen.pop("ListUpdates") <= 3 + update_log.MAX_SLICES
    assert seen == {
        "GetVersion": 1,
        "GetCoreInfo": 1,
        "ListServers": 1,
        "ListStacks": 1,
        "ListFullStacks": 1,
        "ListDeployments": 1,
        "ListResourceSyncs": 1,
        "GetResourceSync": 2,  # only the Pending and the Failed sync
        "ListProcedures": 1,
        "ListActions": 1,
        "ListFullAlerters": 1,
        "ListBuilds": 1,
        "ListRepos": 1,
        "ListBuilders": 1,
        "ListSwarms": 1,
        "ListVariables": 1,
        "ListAlerts": 1,
    }


def test_pending_details_of_the_emulated_syncs(core: CoreEmulator) -> None:
    syncs = {sync.name: sync for sync in collect(core).syncs}
    assert syncs["infra"].state == "Pending"
    infra = syncs["infra"].pending
    assert infra is not None
    assert [c.operation for c in infra.resource_updates] == ["Create"]
    broken = syncs["broken"].pending
    assert broken is not None
    assert broken.pending_error == "cannot clone"
    assert syncs["quiet-0"].pending is None


def test_version_selects_the_model(core: CoreEmulator) -> None:
    assert client(core).model_version() == KomodoVersion.parse("2.3.2")
    assert collect(core).model_version == KomodoVersion.parse("2.3.2")


def test_transient_503_is_retried(core: CoreEmulator) -> None:
    core.inject("ListStacks", Fault(kind="status", status=503, times=1))
    snapshot = collect(core)
    assert snapshot.complete
    assert counts(core)["ListStacks"] == 2


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault(kind="status", status=503), "Core answered 503: injected fault"),
        (Fault(kind="status", status=500), "Core answered 500: injected fault"),
        (Fault(kind="malformed"), "answer is not JSON"),
        (Fault(kind="truncated"), "broken or truncated answer"),
    ],
)
def test_a_failing_call_is_incomplete(
    core: CoreEmulator, fault: Fault, reason: str
) -> None:
    core.inject("ListServers", fault)
    snapshot = collect(core)
    (entry,) = snapshot.incomplete
    assert entry.call == "ListServers"
    assert entry.reason.startswith(reason)
    assert snapshot.servers == ()
    assert len(snapshot.stacks) == 1000


def test_a_hanging_call_times_out(core: CoreEmulator) -> None:
    core.inject("ListAlerts", Fault(kind="hang"))
    snapshot = collect_snapshot(client(core, timeout=0.3, retries=0))
    (entry,) = snapshot.incomplete
    assert (entry.call, entry.reason) == ("ListAlerts", "no answer within 0.3 s")
    assert len(snapshot.stacks) == 1000


def test_wrong_secret_is_an_auth_error(core: CoreEmulator) -> None:
    wrong = CoreClient(core.url, "key", "not-the-secret", retries=0)
    with pytest.raises(CoreAuthError) as caught:
        wrong.read("ListStacks", {})
    assert "not-the-secret" not in str(caught.value)
    snapshot = collect_snapshot(wrong)
    # GetVersion, then every list of the pass (swarms too: the version is unknown).
    assert len(snapshot.incomplete) == 17
    (reason,) = {entry.reason for entry in snapshot.incomplete}
    assert reason.startswith("Core refused the API")
    assert "(401)" in reason
    assert "not-the-secret" not in reason


def test_truncated_write_is_not_retried(core: CoreEmulator) -> None:
    core.inject("RefreshStackCache", Fault(kind="truncated"))
    with pytest.raises(CoreResponseError):
        client(core).write("RefreshStackCache", {"stack": "stack-0001"})
    assert counts(core)["RefreshStackCache"] == 1


def test_refresh_refreshes_every_sync_and_stack(core: CoreEmulator) -> None:
    snapshot = collect(core, refresh=True)
    assert snapshot.complete, snapshot.incomplete
    seen = counts(core)
    assert seen["RefreshResourceSyncPending"] == 22
    assert seen["RefreshStackCache"] == 1000
    assert seen["ListStacks"] == 2


def test_masked_variables_have_no_fingerprint() -> None:
    with CoreEmulator(scenario(), admin=False) as core:
        variables = {v.name: v for v in collect(core).variables}
    assert variables["TOKEN"].fingerprint is None
    assert variables["DOMAIN"].fingerprint is not None
