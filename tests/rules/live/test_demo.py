"""Every live rule over the demo scenario, through the emulator and the collector.

The demo holds the three problems komodo-guard exists to find: mealie's
deploys failing on ``git pull`` for 5 days, the homelab sync pending for
3 days, and mongo-backup's deploy failing on MongoDB credentials.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard import testing
from komodo_guard.history.build import history_of
from komodo_guard.live.client import CoreClient
from komodo_guard.live.snapshot import LiveSnapshot, collect_snapshot
from komodo_guard.rules.engine import run_live_rules
from komodo_guard.rules.interface import Finding, LiveFacts, RuleOptions
from komodo_guard.rules.registry import LIVE_RULES
from komodo_guard.testing import CoreEmulator, load_scenario

DEMO = Path(testing.__file__).parent / "scenarios" / "demo.toml"


@pytest.fixture(scope="module")
def snapshot() -> LiveSnapshot:
    with CoreEmulator(load_scenario(DEMO)) as core:
        client = CoreClient(core.url, core.api_key, core.api_secret, timeout=5.0)
        return collect_snapshot(client)


def live(facts: LiveFacts) -> list[Finding]:
    found = run_live_rules(facts, LIVE_RULES, RuleOptions())
    # KG000: calls the emulator may not serve yet (ListBuilds, ListRepos...).
    return [finding for finding in found if finding.code != "KG000"]


@pytest.fixture(scope="module")
def findings(snapshot: LiveSnapshot) -> list[Finding]:
    return live(LiveFacts(snapshot))


def by(found: list[Finding], name: str, resource: str) -> Finding:
    matches = [
        f
        for f in found
        if f.name == name and f.resource and f.resource.name == resource
    ]
    assert len(matches) == 1, [f.message for f in found]
    return matches[0]


def test_mealie_git_pull_outage(findings: list[Finding]) -> None:
    failed = by(findings, "execution-failed", "mealie")
    assert failed.message == (
        "stack 'mealie': DeployStack has failed 3 times in a row for 5 days "
        "(last 1 day ago, at stage `Git Pull`)"
    )
    behind = by(findings, "stack-behind-git", "mealie")
    assert "deployed commit b71e0d3, git has 4f2a9c1" in behind.message


def test_homelab_sync_pending(findings: list[Finding]) -> None:
    pending = by(findings, "sync-pending", "homelab")
    assert pending.message.startswith(
        "resource_sync 'homelab' has had pending changes for 3 days: "
        "1 resource change (update stack uptime-kuma)"
    )


def test_mongo_backup_credential_failure(findings: list[Finding]) -> None:
    failed = by(findings, "execution-failed", "mongo-backup")
    assert failed.message.startswith(
        "deployment 'mongo-backup': its latest Deploy failed 2 days ago"
    )


def test_healthy_resources_are_quiet(findings: list[Finding]) -> None:
    named = {f.resource.name for f in findings if f.resource}
    assert named == {"mealie", "homelab", "mongo-backup"}


def test_no_secret_reaches_a_finding(findings: list[Finding]) -> None:
    text = " ".join(f"{f.message} {f.hint}" for f in findings)
    for secret in (
        "demo-topic-not-a-real-secret",  # the secret Variable's value
        "api/webhooks/ops",  # alerter URLs
        "ntfy.example.net",
        "demo-webhook-secret",
        "Authentication failed",  # log text is never quoted
    ):
        assert secret not in text


def test_with_the_history_the_causes_are_named(snapshot: LiveSnapshot) -> None:
    until = int(snapshot.collected_at.timestamp() * 1000)
    since = until - snapshot.window_days * 86_400_000
    history = history_of(snapshot.updates, since=since, until=until)
    found = live(LiveFacts(snapshot, history=history))
    assert by(found, "outage-open", "mealie").message == (
        "stack 'mealie' has failed to deploy for 5 days: git pull blocked by "
        "untracked files (3 failed runs, last 1 day ago)"
    )
    assert by(found, "outage-open", "mongo-backup").message == (
        "deployment 'mongo-backup' has failed to deploy for 2 days: database "
        "authentication failed (1 failed run, last 2 days ago)"
    )
