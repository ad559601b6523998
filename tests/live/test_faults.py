"""Every call the snapshot makes, under every fault the emulator can inject.

For each pair, `collect_snapshot` must return (never raise, never hang: the
client's short timeout bounds every request), its ``incomplete`` must name the
call with a clear reason holding no secret, and every other call must still
have produced its data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

from komodo_guard.live.client import CoreClient
from komodo_guard.live.snapshot import LiveSnapshot, collect_snapshot
from komodo_guard.testing import CoreEmulator, Fault, Scenario

KEY = "K-7f3a9d2e-emulated-api-key"
SECRET = "S-91bc44e0-emulated-api-secret"
VALUES = ("hunter2-database-password", "plain-domain-value.example")
TIMEOUT = 0.25

Check = Callable[[LiveSnapshot], bool]

# What each call contributes to the snapshot.
DATA: dict[str, Check] = {
    "GetVersion": lambda s: s.version != "",
    "GetCoreInfo": lambda s: s.core is not None,
    "ListServers": lambda s: bool(s.servers),
    "ListStacks": lambda s: bool(s.stacks),
    "ListFullStacks": lambda s: any(stack.changed_files for stack in s.stacks),
    "ListDeployments": lambda s: bool(s.deployments),
    "ListResourceSyncs": lambda s: bool(s.syncs),
    "GetResourceSync": lambda s: any(sync.pending for sync in s.syncs),
    "ListProcedures": lambda s: bool(s.procedures),
    "ListActions": lambda s: bool(s.actions),
    "ListFullAlerters": lambda s: bool(s.alerters),
    "ListBuilds": lambda s: bool(s.builds),
    "ListRepos": lambda s: bool(s.repos),
    "ListBuilders": lambda s: bool(s.builders),
    "ListSwarms": lambda s: bool(s.swarms),
    "ListVariables": lambda s: bool(s.variables),
    "ListUpdates": lambda s: bool(s.updates),
    "ListAlerts": lambda s: bool(s.alerts),
    "GetUpdate": lambda s: any(update.logs for update in s.updates),
}
WRITES = ("RefreshResourceSyncPending", "RefreshStackCache")
CALLS = [*DATA, *WRITES]

# Data that cannot be there when another call failed.
NEEDS = {
    "GetResourceSync": "ListResourceSyncs",
    "GetUpdate": "ListUpdates",
    "ListFullStacks": "ListStacks",
}

FAULTS: dict[str, tuple[Fault, str]] = {
    "slow": (Fault("latency", seconds=TIMEOUT * 4), rf"no answer within {TIMEOUT:g} s"),
    "401": (Fault("status", status=401), r"Core refused the API key \(401\)"),
    "403": (Fault("status", status=403), r"Core refused (the API key )?\(403\)"),
    "404": (Fault("status", status=404), r"Core answered 404: injected fault"),
    "429": (Fault("status", status=429), r"Core answered 429: injected fault"),
    "500": (Fault("status", status=500), r"Core answered 500: injected fault"),
    "502": (Fault("status", status=502), r"Core answered 502: injected fault"),
    "503": (Fault("status", status=503), r"Core answered 503: injected fault"),
    "malformed": (Fault("malformed"), r"answer is not JSON"),
    "truncated": (Fault("truncated"), r"broken or truncated answer"),
    "hang": (Fault("hang"), rf"no answer within {TIMEOUT:g} s"),
    "reset": (Fault("reset"), r"cannot reach http://127\.0\.0\.1:\d+: .*reset"),
    "closed": (Fault("close"), r"broken or truncated answer: .*disconnected"),
}


def scenario() -> Scenario:
    """One of every kind, a pending sync, a failure streak, an alert."""
    failure = {
        "operation": "DeployStack",
        "target": {"type": "Stack", "name": "web"},
        "success": False,
        "logs": [{"stage": "Git Pull", "stderr": "untracked working tree files"}],
    }
    return Scenario(
        servers=[{"name": "nas"}],
        stacks=[
            {"name": "web", "server": "nas", "changed_files": ["compose.yaml"]},
            {"name": "db", "server": "nas"},
        ],
        deployments=[{"name": "backup", "server": "nas"}],
        syncs=[
            {"name": "infra", "pending": [{"type": "Stack", "name": "web"}]},
            {"name": "quiet"},
        ],
        procedures=[{"name": "nightly"}],
        actions=[{"name": "prune"}],
        alerters=[{"name": "ntfy", "enabled": True}],
        builds=[{"name": "image"}],
        repos=[{"name": "checkout", "server": "nas"}],
        builders=[{"name": "local"}],
        swarms=[{"name": "lab", "servers": ["nas"]}],
        variables=[
            {"name": "DB_PASSWORD", "value": VALUES[0], "is_secret": True},
            {"name": "DOMAIN", "value": VALUES[1]},
        ],
        updates=[
            {**failure, "ago": "3d"},
            {**failure, "ago": "2d"},
            {**failure, "ago": "1d"},
            {
                "operation": "RunSync",
                "target": {"type": "ResourceSync", "name": "infra"},
            },
        ],
        alerts=[
            {"type": "ServerUnreachable", "target": {"type": "Server", "name": "nas"}}
        ],
    )


@pytest.fixture(scope="module")
def core() -> Iterator[CoreEmulator]:
    with CoreEmulator(scenario(), api_key=KEY, api_secret=SECRET) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def client(core: CoreEmulator) -> Iterator[CoreClient]:
    """One client for the module: building one costs more than a snapshot."""
    with CoreClient(core.url, KEY, SECRET, timeout=TIMEOUT, retries=0) as shared:
        yield shared


@pytest.fixture
def clean(core: CoreEmulator) -> Iterator[CoreEmulator]:
    core.clear_faults()
    yield core
    core.clear_faults()


def test_without_faults_every_call_has_data(
    clean: CoreEmulator, client: CoreClient
) -> None:
    snapshot = collect_snapshot(client, refresh=True)
    assert snapshot.complete, snapshot.incomplete
    assert {call for call, has in DATA.items() if not has(snapshot)} == set()


@pytest.mark.parametrize("kind", list(FAULTS))
@pytest.mark.parametrize("call", CALLS)
def test_a_fault_is_named_and_the_rest_is_collected(
    clean: CoreEmulator, client: CoreClient, call: str, kind: str
) -> None:
    fault, reason = FAULTS[kind]
    clean.inject(call, fault)
    snapshot = collect_snapshot(client, refresh=call in WRITES)

    entries = [entry for entry in snapshot.incomplete if entry.call == call]
    assert entries, snapshot.incomplete
    for entry in entries:
        assert re.match(reason, entry.reason), entry.reason
    assert {entry.call for entry in snapshot.incomplete} == {call}

    shown = repr(snapshot)
    for secret in (KEY, SECRET, *VALUES):
        assert secret not in shown

    if call in DATA:
        assert not DATA[call](snapshot)
    missing = {
        other
        for other, has in DATA.items()
        if other != call and NEEDS.get(other) != call and not has(snapshot)
    }
    assert missing == set()


def test_a_fault_on_every_call_at_once_still_returns(
    clean: CoreEmulator, client: CoreClient
) -> None:
    clean.inject("*", Fault("hang"))
    snapshot = collect_snapshot(client)
    assert snapshot.could_not_read("GetVersion")
    assert snapshot.servers == ()
    assert {entry.reason for entry in snapshot.incomplete} == {
        f"no answer within {TIMEOUT:g} s"
    }
