"""Starting executions and following Updates: against the Core emulator on
loopback, and a scripted Core for the kinds the emulator does not run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from komodo_guard.komodo import model
from komodo_guard.live.client import CoreClient
from komodo_guard.live.errors import CoreResponseError
from komodo_guard.live.trigger import (
    KINDS,
    MAX_LINE_CHARS,
    MAX_LINES,
    MAX_STAGES,
    WEBHOOK_USER,
    Outcome,
    Polling,
    failed_stages,
    find_webhook_update,
    follow,
    recent_ids,
    start,
    start_batch,
    tail,
    update_id,
    webhook_query,
)
from komodo_guard.testing import CoreEmulator, Fault, Scenario
from komodo_guard.testing.listener import sign
from tests.live.fakecore import KEY, SECRET, URL, FakeCore, Sequence

FAILING_LOGS = [
    {
        "stage": "Compose Up",
        "command": "docker login -p hunter2-registry ghcr.io",
        "stderr": "connecting\nDB_PASSWORD=s3cr3t-value-xyz rejected\nerror: exit 1",
        "success": False,
    }
]


def scenario() -> Scenario:
    return Scenario(
        servers=[{"name": "hearth", "address": "https://h:8120", "enabled": True}],
        stacks=[
            {
                "name": "web",
                "server": "hearth",
                "deployed_hash": "a",
                "latest_hash": "b",
            },
            {
                "name": "broken",
                "server": "hearth",
                "deploy_fails": True,
                "deploy_logs": FAILING_LOGS,
            },
            {"name": "locked", "server": "hearth", "execute_error": "stack is busy"},
        ],
        syncs=[{"name": "infra"}],
        procedures=[{"name": "nightly"}],
        webhook_secret="hook-secret-for-tests",
    )


@pytest.fixture
def core() -> Iterator[CoreEmulator]:
    with CoreEmulator(scenario(), api_key=KEY, api_secret=SECRET) as emulator:
        yield emulator


@pytest.fixture
def client(core: CoreEmulator) -> Iterator[CoreClient]:
    with CoreClient(core.url, KEY, SECRET) as made:
        yield made


class FakeClock:
    """A clock that only moves when slept on; records every pause."""

    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def quick(wait: float = 10.0) -> Polling:
    return Polling(wait=wait, first=0.05, longest=0.2)


# -- the calls -----------------------------------------------------------------


def test_every_call_is_a_komodo_execution_with_the_right_shape() -> None:
    executions = model.load(None).executions
    for kind in KINDS.values():
        calls = [kind.execute, kind.batch, kind.changed, kind.batch_changed]
        for call in filter(None, calls):
            spec = executions[call]
            assert spec.target == (
                "resource_sync" if kind.name == "sync" else kind.name
            )
            wanted = "pattern" if call.startswith("Batch") else kind.param
            assert spec.param(wanted) is not None, (call, wanted)


@pytest.mark.parametrize(
    ("name", "batch", "changed", "call"),
    [
        ("sync", False, False, "RunSync"),
        ("stack", False, False, "DeployStack"),
        ("stack", False, True, "DeployStackIfChanged"),
        ("stack", True, True, "BatchDeployStackIfChanged"),
        ("stack", True, False, "BatchDeployStack"),
        ("procedure", False, False, "RunProcedure"),
        ("action", False, False, "RunAction"),
        ("deployment", False, False, "Deploy"),
        ("build", False, False, "RunBuild"),
        ("repo", False, False, "PullRepo"),
        ("repo", True, False, "BatchPullRepo"),
    ],
)
def test_call_chosen(name: str, batch: bool, changed: bool, call: str) -> None:
    assert KINDS[name].call(batch=batch, if_changed=changed) == call


@pytest.mark.parametrize(("name", "batch"), [("sync", True), ("procedure", False)])
def test_calls_core_does_not_have_are_refused(name: str, batch: bool) -> None:
    with pytest.raises(ValueError, match=f"no .* for a {name}"):
        KINDS[name].call(batch=batch, if_changed=not batch)


# -- following -----------------------------------------------------------------


def test_a_deploy_is_followed_to_success_and_stages_announced(
    client: CoreClient,
) -> None:
    ident = start(client, KINDS["stack"], "web", if_changed=False)
    stages: list[str] = []
    followed = follow(client, ident, quick(), stages.append)
    assert followed.outcome is Outcome.SUCCESS
    assert followed.update_id == ident
    assert followed.update["status"] == "Complete"
    assert stages == ["Compose Up"]


def test_a_failed_deploy_is_followed_to_failure(client: CoreClient) -> None:
    ident = start(client, KINDS["stack"], "broken", if_changed=False)
    followed = follow(client, ident, quick())
    assert followed.outcome is Outcome.FAILED
    [stage] = failed_stages(followed.update)
    assert stage.stage == "Compose Up"
    assert stage.command == "docker login -p *** ghcr.io"
    assert stage.stderr == ("connecting", "DB_PASSWORD=*** rejected", "error: exit 1")


def test_the_wait_runs_out_on_a_long_update() -> None:
    with (
        CoreEmulator(
            scenario(), api_key=KEY, api_secret=SECRET, update_seconds=30
        ) as core,
        CoreClient(core.url, KEY, SECRET) as client,
    ):
        ident = start(client, KINDS["sync"], "infra", if_changed=False)
        followed = follow(client, ident, quick(wait=0.3))
    assert followed.outcome is Outcome.TIMED_OUT
    assert followed.update["status"] == "InProgress"


def test_core_lost_while_following_is_reported(core: CoreEmulator) -> None:
    with CoreClient(core.url, KEY, SECRET, timeout=1) as client:
        ident = start(client, KINDS["procedure"], "nightly", if_changed=False)
        core.inject("GetUpdate", Fault("status", status=503))
        followed = follow(client, ident, quick())
    assert followed.outcome is Outcome.LOST
    assert "GetUpdate" in followed.reason


def test_polls_back_off_from_half_a_second_to_five() -> None:
    core = FakeCore({"GetUpdate": {"id": "u1", "status": "InProgress", "logs": []}})
    clock = FakeClock()
    polling = Polling(wait=30, clock=clock, sleep=clock.sleep)
    with CoreClient(URL, KEY, SECRET, transport=core.transport()) as client:
        followed = follow(client, "u1", polling)
    assert followed.outcome is Outcome.TIMED_OUT
    assert clock.pauses[:6] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    assert sum(clock.pauses) == pytest.approx(30)
    assert core.count("GetUpdate") == len(clock.pauses) + 1


def test_an_update_complete_at_once_needs_one_read() -> None:
    done = {"_id": {"$oid": "u9"}, "status": "Complete", "success": True}
    core = FakeCore({"GetUpdate": done})
    clock = FakeClock()
    with CoreClient(URL, KEY, SECRET, transport=core.transport()) as client:
        followed = follow(client, "u9", Polling(clock=clock, sleep=clock.sleep))
    assert followed.outcome is Outcome.SUCCESS
    assert clock.pauses == []


# -- starting ------------------------------------------------------------------


def test_an_unknown_resource_is_refused_before_any_update(client: CoreClient) -> None:
    with pytest.raises(CoreResponseError, match="did not find any Stack matching nope"):
        start(client, KINDS["stack"], "nope", if_changed=False)


@pytest.mark.parametrize(
    ("kind", "call", "param"),
    [
        ("deployment", "Deploy", "deployment"),
        ("build", "RunBuild", "build"),
        ("repo", "PullRepo", "repo"),
        ("action", "RunAction", "action"),
    ],
)
def test_kinds_the_emulator_lacks_send_their_call(
    kind: str, call: str, param: str
) -> None:
    core = FakeCore(
        {
            call: {"_id": {"$oid": "u7"}, "status": "InProgress"},
            "GetUpdate": Sequence(
                {"_id": {"$oid": "u7"}, "status": "InProgress", "logs": []},
                {"_id": {"$oid": "u7"}, "status": "Complete", "success": True},
            ),
        }
    )
    with CoreClient(URL, KEY, SECRET, transport=core.transport()) as client:
        ident = start(client, KINDS[kind], "thing", if_changed=False)
        followed = follow(client, ident, quick())
    assert ident == "u7"
    assert followed.outcome is Outcome.SUCCESS
    assert core.calls[0] == ("/execute", call, {param: "thing"})


def test_an_answer_without_an_update_id_is_an_error() -> None:
    core = FakeCore({"RunSync": {"status": "InProgress"}})
    with (
        CoreClient(URL, KEY, SECRET, transport=core.transport()) as client,
        pytest.raises(CoreResponseError, match="RunSync: answer is not an Update"),
    ):
        start(client, KINDS["sync"], "infra", if_changed=False)


def test_a_batch_reports_ok_and_err_items(client: CoreClient) -> None:
    started = start_batch(client, KINDS["stack"], "*", if_changed=True)
    assert len(started.started) == 2
    assert [(r.name, r.error) for r in started.refused] == [("locked", "stack is busy")]
    outcomes = {follow(client, i, quick()).outcome for i in started.started}
    assert outcomes == {Outcome.SUCCESS, Outcome.FAILED}


def test_a_batch_error_is_redacted() -> None:
    item = {
        "status": "Err",
        "data": {
            "name": "db",
            "error": {"error": "login failed", "trace": ["token=abc123def"]},
        },
    }
    core = FakeCore({"BatchDeploy": [item]})
    with CoreClient(URL, KEY, SECRET, transport=core.transport()) as client:
        started = start_batch(client, KINDS["deployment"], "db", if_changed=False)
    assert started.started == ()
    assert started.refused[0].error == "login failed | token=***"


# -- failed stages -------------------------------------------------------------


def test_failed_stages_are_bounded() -> None:
    long_line = "x" * (MAX_LINE_CHARS + 50)
    logs = [
        {
            "stage": f"s{n}",
            "command": "",
            "stderr": "\n".join([f"line {i}" for i in range(50)] + [long_line]),
            "success": False,
        }
        for n in range(MAX_STAGES + 3)
    ]
    stages = failed_stages({"success": False, "logs": logs})
    assert len(stages) == MAX_STAGES
    assert len(stages[0].stderr) == MAX_LINES
    assert stages[0].stderr[-1].endswith("…")
    assert len(stages[0].stderr[-1]) == MAX_LINE_CHARS


def test_the_last_stage_stands_in_when_none_says_it_failed() -> None:
    update = {
        "success": False,
        "logs": [
            {"stage": "Pull", "stdout": "ok", "success": True},
            {
                "stage": "Up",
                "stdout": "<span class='red'>exited</span>",
                "success": True,
            },
        ],
    }
    [stage] = failed_stages(update)
    assert (stage.stage, stage.stdout) == ("Up", ("exited",))


def test_a_successful_update_has_no_failed_stages() -> None:
    assert (
        failed_stages({"success": True, "logs": [{"stage": "a", "success": True}]})
        == []
    )


def test_tail_masks_secrets_spanning_lines() -> None:
    text = (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecret\n"
        "-----END OPENSSH PRIVATE KEY-----"
    )
    assert "AAAAsecret" not in " ".join(tail(text))


@pytest.mark.parametrize(
    ("item", "ident"),
    [
        ({"id": "a"}, "a"),
        ({"_id": {"$oid": "b"}}, "b"),
        ({"id": ""}, ""),
        ("nope", ""),
    ],
)
def test_update_id(item: Any, ident: str) -> None:
    assert update_id(item) == ident


# -- the Update a webhook started ------------------------------------------------


def webhook(core: CoreEmulator, path: str) -> None:
    body = b'{"ref": "refs/heads/main"}'
    headers = {"X-Hub-Signature-256": sign("hook-secret-for-tests", body)}
    response = httpx.post(f"{core.url}{path}", content=body, headers=headers)
    assert response.status_code == 200


def test_the_update_a_webhook_started_is_found(
    core: CoreEmulator, client: CoreClient
) -> None:
    stack = client.read("GetStack", {"stack": "web"})
    query = webhook_query(KINDS["stack"], stack["_id"]["$oid"], 0)
    start(client, KINDS["stack"], "web", if_changed=False)  # an admin's, not matched
    webhook(core, "/listener/github/stack/web/deploy")
    earlier = recent_ids(client, query)
    assert len(earlier) == 1
    webhook(core, "/listener/github/stack/web/deploy")
    found = find_webhook_update(client, query, earlier, quick())
    assert found is not None
    assert found not in earlier
    assert client.read("GetUpdate", {"id": found})["operator"] == WEBHOOK_USER


def test_no_update_found_gives_none(core: CoreEmulator, client: CoreClient) -> None:
    query = webhook_query(KINDS["sync"], "no-such-id", 0)
    assert find_webhook_update(client, query, frozenset(), quick(wait=0.2)) is None
