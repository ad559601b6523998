"""KG602 not-enabled: alerters and servers left at enabled = false."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.content.not_enabled import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

_TREE: dict[str, str | bytes] = {
    "r.toml": '[[alerter]]\nname = "ntfy"\n[alerter.config]\nendpoint.type = "Ntfy"\n\n'
    '[[server]]\nname = "box"\n[server.config]\naddress = "https://box:8120"\n'
}


def test_alerter_and_server_without_enabled(make_tree: TreeFactory) -> None:
    root = make_tree(_TREE)
    found = findings(root, RULE)
    assert hits(root, RULE) == [("r.toml", 1, 1, "KG602"), ("r.toml", 6, 1, "KG602")]
    assert "sends no alerts" in found[0].message
    assert "[alerter.config]" in found[0].hint


def test_enabled_true_passes(make_tree: TreeFactory) -> None:
    text = str(_TREE["r.toml"]).replace(
        "[alerter.config]\n", "[alerter.config]\nenabled = true\n"
    )
    text = text.replace("[server.config]\n", "[server.config]\nenabled = true\n")
    assert hits(make_tree({"r.toml": text}), RULE) == []


def test_explicit_false_and_templates_are_deliberate(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "r.toml": '[[alerter]]\nname = "a"\n[alerter.config]\nenabled = false\n\n'
            '[[server]]\nname = "t"\ntemplate = true\n'
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    assert hits(make_tree(_TREE), RULE, disabled=[RULE.code]) == []


def test_corpus_repo41_ntfy_alerter(shared: Path) -> None:
    found = hits(shared / "corpus" / "real" / "repo41", RULE)
    assert found == [("komodo/resources.toml", 304, 1, "KG602")]
