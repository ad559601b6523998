"""KG402 not-compose-file: env and config files in the wrong Stack list."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.layout.not_compose_file import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def stack(config: str) -> str:
    return f'[[stack]]\nname = "web"\n[stack.config]\n{config}\n'


def test_env_file_in_file_paths(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack('file_paths = ["compose.yaml", ".env"]')})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("k.toml", 4, 31, "KG402")]
    assert found.severity is Severity.WARNING
    assert "is an env file" in found.message
    assert "additional_env_files" in found.hint


@pytest.mark.parametrize(
    "name", ["Caddyfile.conf", "config.toml", "prod.env", ".env.local"]
)
def test_other_files_in_file_paths(make_tree: TreeFactory, name: str) -> None:
    root = make_tree({"k.toml": stack(f'file_paths = ["{name}"]')})
    assert hits(root, RULE) == [("k.toml", 4, 15, "KG402")]


def test_compose_files_pass(make_tree: TreeFactory) -> None:
    text = stack(
        'file_paths = ["compose.yaml", "b.yml", "c.json", "Composefile"]\n'
        'additional_env_files = [".env", "a.env", "secrets.sops.env", "vars"]'
    )
    assert hits(make_tree({"k.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack('file_paths = [".env"]')})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_yaml_in_additional_env_files(make_tree: TreeFactory) -> None:
    text = stack('additional_env_files = [{ path = "secrets.yaml", track = false }]')
    root = make_tree({"k.toml": text})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("k.toml", 4, 34, "KG402")]
    assert "does not look like a dotenv file" in found.message


def test_corpus_issue_648(shared: Path) -> None:
    root = shared / "corpus" / "issues"
    found = [h for h in hits(root, RULE) if h[0].startswith("648-")]
    assert found == [("648-additional-env-file-is-yaml.toml", 24, 25, "KG402")]
