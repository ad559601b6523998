"""KG613 deploy-before-sync: procedures that deploy what git has not applied."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.wiring.deploy_before_sync import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits
from tests.rules.wiring.procedures import DEPLOY_ALL, RUN_SYNC, SYNC, procedure, stage


def test_deploy_without_sync(make_tree: TreeFactory) -> None:
    text = SYNC + procedure("on-push", stage("Deploy", DEPLOY_ALL))
    root = make_tree({"a.toml": text})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 8, 22, "KG613")]
    assert found.severity is Severity.WARNING
    assert found.message.startswith(
        "procedure 'on-push', stage 1, execution 1 deploys "
        "(BatchDeployStackIfChanged (stacks matching '*')) before any stage runs "
        "RunSync, while the tree declares resource_sync 'homelab'"
    )
    assert "never deployed" in found.message


def test_deploy_before_sync_stage(make_tree: TreeFactory) -> None:
    text = SYNC + procedure("p", stage("Deploy", DEPLOY_ALL), stage("Sync", RUN_SYNC))
    assert hits(make_tree({"a.toml": text}), RULE) == [("a.toml", 8, 22, "KG613")]


def test_sync_then_deploy_passes(make_tree: TreeFactory) -> None:
    text = SYNC + procedure("p", stage("Sync", RUN_SYNC), stage("Deploy", DEPLOY_ALL))
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_no_sync_declared_passes(make_tree: TreeFactory) -> None:
    text = procedure("p", stage("Deploy", DEPLOY_ALL))
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_named_deploy_is_info(make_tree: TreeFactory) -> None:
    text = SYNC + procedure("p", stage("Deploy", ("DeployStack", 'stack = "web"')))
    (found,) = findings(make_tree({"a.toml": text}), RULE)
    assert found.severity is Severity.INFO
    assert "config changes pushed to git are deployed old" in found.message


def test_same_stage_is_left_to_stage_race(make_tree: TreeFactory) -> None:
    text = SYNC + procedure("p", stage("All", RUN_SYNC, DEPLOY_ALL))
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled_sync_stage_does_not_count(make_tree: TreeFactory) -> None:
    text = SYNC + procedure(
        "p", stage("Sync", RUN_SYNC, enabled=False), stage("Deploy", DEPLOY_ALL)
    )
    assert hits(make_tree({"a.toml": text}), RULE) == [("a.toml", 14, 22, "KG613")]


def test_called_procedure_is_judged_through_its_caller(make_tree: TreeFactory) -> None:
    text = (
        SYNC
        + procedure("deploy-all", stage("Deploy", DEPLOY_ALL))
        + procedure(
            "on-push", stage("Run", ("RunProcedure", 'procedure = "deploy-all"'))
        )
    )
    root = make_tree({"a.toml": text})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 15, 22, "KG613")]
    assert "through procedure 'deploy-all'" in found.message


def test_caller_that_syncs_first_covers_the_callee(make_tree: TreeFactory) -> None:
    text = (
        SYNC
        + procedure("deploy-all", stage("Deploy", DEPLOY_ALL))
        + procedure(
            "on-push",
            stage("Sync", RUN_SYNC),
            stage("Run", ("RunProcedure", 'procedure = "deploy-all"')),
        )
    )
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_scheduled_callee_is_judged_on_its_own(make_tree: TreeFactory) -> None:
    text = (
        SYNC
        + procedure(
            "deploy-all",
            stage("Deploy", DEPLOY_ALL),
            config='schedule = "Every day at 04:00"',
        )
        + procedure(
            "on-push",
            stage("Sync", RUN_SYNC),
            stage("Run", ("RunProcedure", 'procedure = "deploy-all"')),
        )
    )
    assert hits(make_tree({"a.toml": text}), RULE) == [("a.toml", 10, 22, "KG613")]


def test_callee_that_deploys_before_it_syncs(make_tree: TreeFactory) -> None:
    text = (
        SYNC
        + procedure("inner", stage("Deploy", DEPLOY_ALL), stage("Sync", RUN_SYNC))
        + procedure("outer", stage("Run", ("RunProcedure", 'procedure = "inner"')))
    )
    root = make_tree({"a.toml": text})
    assert hits(root, RULE) == [("a.toml", 20, 22, "KG613")]


def test_disabled(make_tree: TreeFactory) -> None:
    text = SYNC + procedure("p", stage("Deploy", DEPLOY_ALL))
    assert hits(make_tree({"a.toml": text}), RULE, disabled=[RULE.code]) == []


def test_corpus_repo34_deploy_on_push(shared: Path) -> None:
    found = findings(shared / "corpus" / "real" / "repo34", RULE)
    assert [(f.location.line if f.location else 0, f.severity) for f in found] == [
        (48, Severity.WARNING),
        (73, Severity.INFO),
        (79, Severity.INFO),
    ]
    assert "procedure 'Deploy On Push'" in found[0].message


def test_corpus_sync_first_procedures_pass(shared: Path) -> None:
    real = shared / "corpus" / "real"
    for repo in ("repo01", "repo04", "repo05", "repo20", "repo23", "repo28", "repo37"):
        assert hits(real / repo, RULE) == [], repo
