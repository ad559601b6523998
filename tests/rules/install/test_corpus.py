"""The install rules on the real corpus: what they find, and no crash anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.komodo.model import load
from komodo_guard.rules.engine import run_rules
from komodo_guard.rules.install import RULES
from komodo_guard.rules.interface import RuleOptions
from komodo_guard.workspace.collect import collect
from tests.conftest import SHARED

REAL = SHARED / "corpus" / "real"
ISSUES = SHARED / "corpus" / "issues"

EXPECTED = {
    "repo15": [
        ("r720-omv/komodo/compose.yaml", 31, 7, "KG909"),
        ("r720-omv/komodo/compose.yaml", 93, 7, "KG906"),
    ],
    "repo32": [
        ("apps/komodo/docker-compose.yml", 8, 7, "KG909"),
        ("apps/komodo/docker-compose.yml", 14, 3, "KG902"),
        ("apps/komodo/docker-compose.yml", 14, 3, "KG904"),
        ("apps/komodo/docker-compose.yml", 26, 7, "KG906"),
    ],
}


def _hits(root: Path) -> list[tuple[str, int, int, str]]:
    found = run_rules(collect(root, load(None)), RULES, RuleOptions())
    return [
        (f.location.path, f.location.line, f.location.column, f.code)
        for f in found
        if f.location
    ]


def _repos() -> list[str]:
    return sorted(p.name for p in REAL.iterdir() if p.is_dir()) if REAL.is_dir() else []


@pytest.mark.usefixtures("shared")
@pytest.mark.parametrize("repo", _repos() or ["(corpus missing)"])
def test_corpus_findings(repo: str) -> None:
    assert _hits(REAL / repo) == EXPECTED.get(repo, [])


@pytest.mark.usefixtures("shared")
def test_issue_910_passkey_in_a_file_named_core_config(tmp_path: Path) -> None:
    source = next(ISSUES.glob("910-*.toml"))
    (tmp_path / "komodo").mkdir()
    (tmp_path / "komodo" / "core.config.toml").write_bytes(source.read_bytes())
    assert _hits(tmp_path) == [("komodo/core.config.toml", 38, 1, "KG910")]
