"""Webhook listener: GitHub HMAC and GitLab token checks, routes, work started."""

from __future__ import annotations

import json
import time

import pytest

from komodo_guard.testing import CoreEmulator, Fault
from komodo_guard.testing.listener import sign
from tests.testing.httpkit import call, post

PUSH = json.dumps({"ref": "refs/heads/main"}).encode()
SECRET = "demo-webhook-secret"


def updates_for(core: CoreEmulator, operation: str) -> list[dict[str, object]]:
    since = int(core.state.started * 1000)
    query = {
        "operation": operation,
        "operator": "000000000000000000000003",
        "start_ts": {"$gte": since},
    }
    listed = call(core, "read", "ListUpdates", {"query": query})
    return list(listed["updates"])


def test_github_signature_accepted_and_sync_runs(core: CoreEmulator) -> None:
    headers = {"X-Hub-Signature-256": sign(SECRET, PUSH)}
    status, _ = post(core, "/listener/github/sync/homelab/sync", PUSH, headers=headers)
    assert status == 200
    started = updates_for(core, "RunSync")
    assert len(started) == 1
    assert started[0]["username"] == "Git Webhook"
    time.sleep(0.3)
    assert call(core, "read", "ListResourceSyncs")[0]["info"]["state"] == "Ok"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Hub-Signature-256": sign("wrong", PUSH)},
        {"X-Hub-Signature-256": "sha256="},
    ],
)
def test_github_bad_signature_is_401(
    core: CoreEmulator, headers: dict[str, str]
) -> None:
    status, _ = post(
        core, "/listener/github/stack/traefik/deploy", PUSH, headers=headers
    )
    assert status == 401
    assert updates_for(core, "DeployStack") == []


def test_signature_is_over_the_raw_body(core: CoreEmulator) -> None:
    headers = {"X-Hub-Signature-256": sign(SECRET, PUSH)}
    status, _ = post(
        core, "/listener/github/stack/traefik/deploy", PUSH + b" ", headers=headers
    )
    assert status == 401


def test_gitlab_token(core: CoreEmulator) -> None:
    good = {"X-Gitlab-Token": SECRET}
    bad = {"X-Gitlab-Token": "nope"}
    assert (
        post(core, "/listener/gitlab/procedure/weekly-prune/main", PUSH, headers=bad)[0]
        == 401
    )
    assert (
        post(core, "/listener/gitlab/procedure/weekly-prune/main", PUSH, headers=good)[
            0
        ]
        == 200
    )
    assert len(updates_for(core, "RunProcedure")) == 1


def test_other_branch_is_authenticated_but_ignored(core: CoreEmulator) -> None:
    body = json.dumps({"ref": "refs/heads/dev"}).encode()
    headers = {"X-Hub-Signature-256": sign(SECRET, body)}
    assert (
        post(core, "/listener/github/stack/traefik/deploy", body, headers=headers)[0]
        == 200
    )
    assert updates_for(core, "DeployStack") == []


def test_unknown_resource_is_400(core: CoreEmulator) -> None:
    headers = {"X-Hub-Signature-256": sign(SECRET, PUSH)}
    assert (
        post(core, "/listener/github/stack/nope/deploy", PUSH, headers=headers)[0]
        == 400
    )


def test_listener_faults(core: CoreEmulator) -> None:
    core.inject("listener", Fault("status", status=502))
    headers = {"X-Hub-Signature-256": sign(SECRET, PUSH)}
    assert (
        post(core, "/listener/github/stack/traefik/deploy", PUSH, headers=headers)[0]
        == 502
    )


def test_a_build_webhook_has_no_operation_and_runs_the_build(
    core: CoreEmulator,
) -> None:
    headers = {"X-Hub-Signature-256": sign(SECRET, PUSH)}
    status, _ = post(core, "/listener/github/build/backup-image", PUSH, headers=headers)
    assert status == 200
    (started,) = updates_for(core, "RunBuild")
    target = started["target"]
    assert isinstance(target, dict)
    assert target["type"] == "Build"
    status, _ = post(
        core, "/listener/github/build/backup-image/build", PUSH, headers=headers
    )
    assert status == 400
    assert len(updates_for(core, "RunBuild")) == 1


def test_a_repo_pull_webhook_pulls_the_repo(core: CoreEmulator) -> None:
    headers = {"X-Gitlab-Token": SECRET}
    path = "/listener/gitlab/repo/homelab-checkout"
    assert post(core, f"{path}/pull", PUSH, headers=headers)[0] == 200
    (started,) = updates_for(core, "PullRepo")
    target = started["target"]
    assert isinstance(target, dict)
    assert target["type"] == "Repo"
    assert post(core, path, PUSH, headers=headers)[0] == 400
    other = json.dumps({"ref": "refs/heads/dev"}).encode()
    assert post(core, f"{path}/pull", other, headers=headers)[0] == 200
    assert len(updates_for(core, "PullRepo")) == 1
