"""KG616 sync-never-runs: declared syncs nothing applies."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.wiring.sync_never_runs import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits
from tests.rules.wiring.procedures import RUN_SYNC, SYNC, procedure, stage

SYNC_OFF = SYNC + "[resource_sync.config]\nwebhook_enabled = false\n"


def test_webhook_off_and_nothing_runs_it(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": SYNC_OFF})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 4, 19, "KG616")]
    assert found.severity is Severity.WARNING
    assert "is never applied until someone runs the sync by hand" in found.message


def test_webhook_on_and_nothing_runs_it_is_info(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": SYNC})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 2, 1, "KG616")]
    assert found.severity is Severity.INFO
    assert "/listener/<provider>/sync/homelab/sync" in found.message


def test_a_procedure_runs_it(make_tree: TreeFactory) -> None:
    text = SYNC_OFF + procedure("reconcile", stage("Sync", RUN_SYNC))
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_a_disabled_stage_does_not_run_it(make_tree: TreeFactory) -> None:
    text = SYNC_OFF + procedure("reconcile", stage("Sync", RUN_SYNC, enabled=False))
    assert hits(make_tree({"a.toml": text}), RULE) == [("a.toml", 4, 19, "KG616")]


def test_an_action_script_runs_it(make_tree: TreeFactory) -> None:
    action = (
        '[[action]]\nname = "sync"\n[action.config]\n'
        "file_contents = \"await komodo.execute('RunSync', { sync: 'homelab' });\"\n"
    )
    assert hits(make_tree({"a.toml": SYNC_OFF + action}), RULE) == []


def test_run_sync_by_id_could_be_any_sync(make_tree: TreeFactory) -> None:
    by_id = ("RunSync", 'sync = "66f0c2a1b4e5d6f7a8b9c0d1"')
    text = SYNC_OFF + procedure("reconcile", stage("Sync", by_id))
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"a.toml": SYNC_OFF}), RULE, disabled=[RULE.code]) == []


def test_corpus(shared: Path) -> None:
    real = shared / "corpus" / "real"
    assert hits(real / "repo37", RULE) == []  # webhook off, a procedure runs it
    assert hits(real / "repo01", RULE) == []  # a scheduled procedure runs it
    (found,) = findings(real / "repo34", RULE)
    assert found.severity is Severity.INFO
    assert "resource_sync 'proxmox-infra'" in found.message
