"""KG612 alerter-target-by-name: names where Komodo compares ids."""

from __future__ import annotations

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.wiring.alerter_targets import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

OBJECT_ID = "66f0c2a1b4e5d6f7a8b9c0d1"


def alerter(lines: str) -> str:
    return (
        '[[stack]]\nname = "immich"\n'
        '[[alerter]]\nname = "ntfy"\n[alerter.config]\nenabled = true\n'
        f"{lines}\n"
    )


def test_name_in_resources_is_an_error(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"a.toml": alerter('resources = [{ type = "Stack", id = "immich" }]')}
    )
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 7, 37, "KG612")]
    assert found.severity is Severity.ERROR
    assert 'resources entry { type = "Stack", id = "immich" } gives a name' in (
        found.message
    )
    assert "sends nothing" in found.message
    assert found.hint.startswith("Stack 'immich' is declared in this tree")


def test_name_in_except_resources_is_a_warning(make_tree: TreeFactory) -> None:
    lines = (
        "except_resources = [\n"
        f'  {{ type = "Server", id = "{OBJECT_ID}" }},\n'
        '  { type = "Server", id = "nas" },\n]'
    )
    root = make_tree({"a.toml": alerter(lines)})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 9, 27, "KG612")]
    assert found.severity is Severity.WARNING
    assert "nothing is excluded" in found.message
    assert "declared in this tree" not in found.hint


def test_object_ids_and_system_pass(make_tree: TreeFactory) -> None:
    lines = (
        f'resources = [{{ type = "Stack", id = "{OBJECT_ID}" }}, '
        '{ type = "System", id = "" }]'
    )
    assert hits(make_tree({"a.toml": alerter(lines)}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": alerter('resources = [{ type = "Stack", id = "x" }]')})
    assert hits(root, RULE, disabled=[RULE.code]) == []
