"""KG303 compose-command-misplaced: the placeholder outside the wrapper, or a
wrapper without it."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.content.compose_command import RULE
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

_HEAD = '[[stack]]\nname = "s"\n[stack.config]\n'


def test_placeholder_outside_the_wrapper_warns(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"s.toml": _HEAD + 'pre_deploy.command = "sops -d x && [[COMPOSE_COMMAND]]"\n'}
    )
    found = findings(root, RULE)
    assert hits(root, RULE) == [("s.toml", 4, 36, "KG303")]
    assert found[0].severity is Severity.WARNING
    assert "`pre_deploy.command`" in found[0].message


def test_wrapper_without_placeholder_is_an_error(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "s.toml": _HEAD + 'compose_cmd_wrapper = """\n'
            "# [[COMPOSE_COMMAND]] in a comment does not count\n"
            "sops exec-env .env 'docker compose up -d'\n"
            '"""\n'
        }
    )
    found = findings(root, RULE)
    assert hits(root, RULE) == [("s.toml", 4, 23, "KG303")]
    assert found[0].severity is Severity.ERROR


def test_wrapper_with_placeholder_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "s.toml": _HEAD + 'compose_cmd_wrapper = """\n'
            "sops exec-env .env '[[COMPOSE_COMMAND]]'\n"
            '"""\n'
        }
    )
    assert hits(root, RULE) == []


def test_empty_wrapper_passes(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"s.toml": _HEAD + 'compose_cmd_wrapper = ""\n'}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"s.toml": _HEAD + 'compose_cmd_wrapper = "docker compose up"\n'})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_corpus_wrappers_of_repo11_and_repo36_are_correct(shared: Path) -> None:
    for repo in ("repo11", "repo36"):
        assert hits(shared / "corpus" / "real" / repo, RULE) == [], repo
