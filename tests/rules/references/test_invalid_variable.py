"""KG214 invalid-variable: Variable names and values Core refuses."""

from __future__ import annotations

import pytest

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.references.invalid_variable import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def variable(name: str, value: str = "x") -> str:
    return f'[[variable]]\nname = "{name}"\nvalue = "{value}"\n'


@pytest.mark.parametrize("name", ["db-password", "1PASSWORD", "my var", "a.b", ""])
def test_invalid_names_are_errors(make_tree: TreeFactory, name: str) -> None:
    root = make_tree({"a.toml": variable(name)})
    assert hits(root, RULE) == [("a.toml", 2, 8, "KG214")]
    (found,) = findings(root, RULE)
    assert found.severity is Severity.ERROR
    assert "is not a valid Variable name" in found.message


def test_hint_suggests_a_valid_name(make_tree: TreeFactory) -> None:
    (found,) = findings(make_tree({"a.toml": variable("db-password")}), RULE)
    assert "`db_password`" in found.hint


def test_too_long_name_and_value(make_tree: TreeFactory) -> None:
    text = variable("A" * 501) + variable("BIG", "v" * 10_001)
    found = findings(make_tree({"a.toml": text}), RULE)
    assert [(f.location.line if f.location else 0) for f in found] == [2, 6]
    assert "longer than 500 characters" in found[0].message
    assert "longer than 10,000 characters" in found[1].message
    assert "10001" not in found[1].message


@pytest.mark.parametrize("name", ["DB_PASSWORD", "_x", "a1", "A" * 500])
def test_valid_names_pass(make_tree: TreeFactory, name: str) -> None:
    text = variable(name, "v" * 10_000)
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": variable("db-password")})
    assert hits(root, RULE, disabled=[RULE.code]) == []
