"""KG210 invalid-repo: git ``repo`` values that are not owner/name."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.rules.references.invalid_repo import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def _stack(repo: str, kind: str = "stack") -> str:
    return f'[[{kind}]]\nname = "app"\n[{kind}.config]\nrepo = "{repo}"\n'


@pytest.mark.parametrize(
    ("repo", "hint"),
    [
        ("owner/app/", 'write repo = "owner/app"'),
        ("/owner/app", 'write repo = "owner/app"'),
        ("owner/ app", 'write repo = "owner/app"'),
        (
            "https://github.com/owner/app.git",
            'write repo = "owner/app" with git_provider = "github.com"',
        ),
        (
            "git@git.example.com:owner/app.git",
            'write repo = "owner/app" with git_provider = "git.example.com"',
        ),
        (
            "{{ github_org }}/app",
            'write repo = "owner/name" (render templates before committing)',
        ),
        ("app", 'write repo = "owner/name" (render templates before committing)'),
        (
            "github.com/owner/app",
            'write repo = "owner/app" with git_provider = "github.com"',
        ),
    ],
)
def test_malformed_values(make_tree: TreeFactory, repo: str, hint: str) -> None:
    root = make_tree({"a.toml": _stack(repo)})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 4, 8, "KG210")]
    assert found[0].hint == hint


@pytest.mark.parametrize("kind", ["build", "repo", "resource_sync"])
def test_other_git_kinds(make_tree: TreeFactory, kind: str) -> None:
    assert hits(make_tree({"a.toml": _stack("owner/app/", kind)}), RULE) == [
        ("a.toml", 4, 8, "KG210")
    ]


@pytest.mark.parametrize("repo", ["owner/app", "group/sub/app", "my-org/my.app", ""])
def test_good_values_pass(make_tree: TreeFactory, repo: str) -> None:
    assert hits(make_tree({"a.toml": _stack(repo)}), RULE) == []


def test_url_with_credentials_is_not_echoed(make_tree: TreeFactory) -> None:
    token = "ghp_s3cr3tT0k3nValue1234567890"
    root = make_tree(
        {"a.toml": _stack(f"https://bot:{token}@github.com/owner/app.git")}
    )
    found = findings(root, RULE)
    assert len(found) == 1
    assert token not in found[0].message + found[0].hint
    assert "credentials" in found[0].message
    assert 'write repo = "owner/app"' in found[0].hint


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": _stack("owner/app/")})
    assert hits(root, RULE, disabled=[RULE.code]) == []


@pytest.mark.parametrize(
    ("repo", "path", "line"),
    [("repo29", "stacks.toml", 6), ("repo22", "komodo.toml", 33)],
)
def test_corpus(shared: Path, repo: str, path: str, line: int) -> None:
    found = hits(shared / "corpus/real" / repo, RULE)
    assert [(p, n) for p, n, _, _ in found] == [(path, line)]
