"""KG212 swarm-overrides-server: ``server`` next to ``swarm`` is ignored."""

from __future__ import annotations

import pytest

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.references.swarm_overrides_server import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


@pytest.mark.parametrize("kind", ["stack", "deployment"])
def test_both_set_is_reported_at_server(make_tree: TreeFactory, kind: str) -> None:
    text = (
        f'[[{kind}]]\nname = "app"\n[{kind}.config]\nswarm = "prod"\nserver = "nas"\n'
    )
    root = make_tree({"a.toml": text})
    assert hits(root, RULE) == [("a.toml", 5, 1, "KG212")]
    (found,) = findings(root, RULE)
    assert found.severity is Severity.WARNING
    assert "ignores `server`" in found.message


def test_alias_spellings(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "a"\n[stack.config]\nserver_id = "nas"\nswarm_id = "p"\n'
    root = make_tree({"a.toml": text})
    assert hits(root, RULE) == [("a.toml", 4, 1, "KG212")]
    assert "`swarm_id` and `server_id`" in findings(root, RULE)[0].message


@pytest.mark.parametrize(
    "lines",
    ['swarm = ""\nserver = "nas"', 'swarm = "p"\nserver = ""', 'server = "nas"'],
)
def test_one_of_them_passes(make_tree: TreeFactory, lines: str) -> None:
    text = f'[[stack]]\nname = "a"\n[stack.config]\n{lines}\n'
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "a"\n[stack.config]\nswarm = "p"\nserver = "nas"\n'
    assert hits(make_tree({"a.toml": text}), RULE, disabled=[RULE.code]) == []
