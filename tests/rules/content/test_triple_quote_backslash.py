"""KG305 triple-quote-backslash: pre-1.17 `\\\\` escaping in `\"\"\"` strings."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.content.triple_quote_backslash import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

_OLD = '''[[repo]]
name = "r"
[repo.config]
on_pull.command = """
bash ./upload.sh \\\\
  release \\\\
  done
"""
'''


def test_double_backslash_reported_once_per_string(make_tree: TreeFactory) -> None:
    root = make_tree({"r.toml": _OLD})
    found = findings(root, RULE, version="2.3")
    assert hits(root, RULE, version="2.3") == [("r.toml", 5, 18, "KG305")]
    assert "`on_pull.command`" in found[0].message
    assert "(2 places)" in found[0].message
    assert "single backslash" in found[0].hint


def test_single_backslash_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"r.toml": _OLD.replace("\\\\", "\\")})
    assert hits(root, RULE, version="2.3") == []


def test_not_reported_for_1_16(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"r.toml": _OLD}), RULE, version="1.16") == []


def test_reported_from_1_17(make_tree: TreeFactory) -> None:
    assert len(hits(make_tree({"r.toml": _OLD}), RULE, version="1.17")) == 1


def test_literal_and_single_line_strings_are_not_touched(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(
        {
            "r.toml": '[[repo]]\nname = "r"\n[repo.config]\n'
            "on_pull.command = '''a \\\\\\\\ b'''\n"
            'on_clone.command = "a \\\\\\\\ b"\n'
        }
    )
    assert hits(root, RULE, version="2.3") == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"r.toml": _OLD})
    assert hits(root, RULE, version="2.3", disabled=[RULE.code]) == []


def test_issue_248_before_block_only(shared: Path, make_tree: TreeFactory) -> None:
    text = shared / "corpus" / "issues" / "248-backslash-escaping-changed-in-1.17.toml"
    root = make_tree({"issue.toml": text.read_text(encoding="utf-8")})
    assert hits(root, RULE, version="1.17") == [("issue.toml", 21, 27, "KG305")]
    assert hits(root, RULE, version="1.16") == []
