"""KG211 linked-repo-overrides: git keys made dead by ``linked_repo``."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.references.linked_repo_overrides import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

LINKED = '[[stack]]\nname = "app"\n[stack.config]\nlinked_repo = "homelab"\n'


def test_repo_and_branch_next_to_linked_repo(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": LINKED + 'branch = "dev"\nrepo = "owner/homelab"\n'})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 6, 1, "KG211")]
    assert found[0].severity is Severity.INFO
    assert "`repo`, `branch` are ignored" in found[0].message


def test_reported_at_the_first_key_without_repo(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": LINKED.replace("stack", "build") + 'commit = "abc"\n'})
    assert hits(root, RULE) == [("a.toml", 5, 1, "KG211")]


def test_linked_repo_alone_passes(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"a.toml": LINKED}), RULE) == []


def test_empty_linked_repo_passes(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "app"\n[stack.config]\nlinked_repo = ""\nrepo = "o/a"\n'
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": LINKED + 'repo = "owner/homelab"\n'})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_corpus_repo19_every_stack(shared: Path) -> None:
    found = hits(shared / "corpus/real/repo19", RULE)
    assert len(found) == 17
    assert {line for _, line, _, _ in found} == {6, 7}
