"""KG614 stage-race: pulls or syncs in parallel with the deploy they feed."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.wiring.stage_race import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits
from tests.rules.wiring.procedures import DEPLOY_ALL, RUN_SYNC, SYNC, procedure, stage

STACKS = (
    '[[stack]]\nname = "web"\n[stack.config]\nlinked_repo = "homelab"\n'
    '[[stack]]\nname = "db"\n'
)


def test_pull_and_deploy_of_the_same_stacks(make_tree: TreeFactory) -> None:
    text = STACKS + procedure(
        "p", stage("Update", ("BatchPullStack", 'pattern = "*"'), DEPLOY_ALL)
    )
    root = make_tree({"a.toml": text})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 13, 22, "KG614")]
    assert "BatchPullStack (stacks matching '*') runs in the same stage" in (
        found.message
    )
    assert "on the checkout of stack 'db', stack 'web'" in found.message


def test_pull_of_one_stack_and_pattern_deploy(make_tree: TreeFactory) -> None:
    text = STACKS + procedure(
        "p",
        stage(
            "Update",
            ("PullStack", 'stack = "db"'),
            ("BatchDeployStack", 'pattern = "d*"'),
        ),
    )
    (found,) = findings(make_tree({"a.toml": text}), RULE)
    assert "on the checkout of stack 'db'" in found.message


def test_pull_of_the_linked_repo(make_tree: TreeFactory) -> None:
    text = STACKS + procedure(
        "p",
        stage(
            "Update",
            ("PullRepo", 'repo = "homelab"'),
            ("DeployStack", 'stack = "web"'),
        ),
    )
    assert hits(make_tree({"a.toml": text}), RULE) == [("a.toml", 13, 22, "KG614")]


def test_sync_in_the_same_stage(make_tree: TreeFactory) -> None:
    text = SYNC + procedure("p", stage("All", RUN_SYNC, DEPLOY_ALL))
    (found,) = findings(make_tree({"a.toml": text}), RULE)
    assert "RunSync (resource_sync 'homelab') runs in the same stage" in found.message


def test_sync_through_a_procedure_in_the_same_stage(make_tree: TreeFactory) -> None:
    text = (
        SYNC
        + procedure("sync", stage("Sync", RUN_SYNC))
        + procedure(
            "p", stage("All", ("RunProcedure", 'procedure = "sync"'), DEPLOY_ALL)
        )
    )
    (found,) = findings(make_tree({"a.toml": text}), RULE)
    assert "through procedure 'sync'" in found.message


def test_separate_stages_pass(make_tree: TreeFactory) -> None:
    text = (
        STACKS
        + SYNC
        + procedure(
            "p",
            stage("Sync", RUN_SYNC, ("PullRepo", 'repo = "homelab"')),
            stage("Pull", ("BatchPullStack", 'pattern = "*"')),
            stage("Deploy", DEPLOY_ALL),
        )
    )
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_unrelated_pull_passes(make_tree: TreeFactory) -> None:
    text = STACKS + procedure(
        "p",
        stage(
            "Update",
            ("PullStack", 'stack = "db"'),
            ("DeployStack", 'stack = "web"'),
            ("PullRepo", 'repo = "other"'),
        ),
    )
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled_execution_does_not_race(make_tree: TreeFactory) -> None:
    text = SYNC + procedure("p", stage("All", RUN_SYNC, DEPLOY_ALL)).replace(
        'sync = "homelab" } }', 'sync = "homelab" }, enabled = false }'
    )
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    text = SYNC + procedure("p", stage("All", RUN_SYNC, DEPLOY_ALL))
    assert hits(make_tree({"a.toml": text}), RULE, disabled=[RULE.code]) == []


def test_corpus_has_no_same_stage_races(shared: Path) -> None:
    real = shared / "corpus" / "real"
    for repo in ("repo01", "repo20", "repo23", "repo28", "repo34", "repo37"):
        assert hits(real / repo, RULE) == [], repo
