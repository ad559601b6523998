"""Every registered rule is documented, uniquely named and tested three ways."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from komodo_guard.rules.interface import RuleBase
from komodo_guard.rules.registry import ALL_RULES, find

TESTS = Path(__file__).resolve().parent


def _ids(rule: RuleBase) -> str:
    return f"{rule.code}-{rule.name}"


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [rule.code for rule in ALL_RULES]
    names = [rule.name for rule in ALL_RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for rule in ALL_RULES:
        assert re.fullmatch(r"KG\d{3,4}", rule.code), rule.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids)
def test_docstring_documents_the_rule(rule: RuleBase) -> None:
    doc = rule.doc.strip()
    assert doc, f"{rule.code} has no docstring"
    assert len(rule.summary) <= 100
    assert re.search(r"^\s*Failing", doc, re.MULTILINE), "no failing example"
    assert re.search(r"^\s*Passing", doc, re.MULTILINE), "no passing example"


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids)
def test_rule_has_failing_passing_and_disabled_tests(rule: RuleBase) -> None:
    texts = [path.read_text() for path in TESTS.rglob("test_*.py")]
    mentions = [text for text in texts if rule.code in text or f"{rule.name}" in text]
    assert mentions, f"no test mentions {rule.code}"
    assert any("disabled" in text for text in mentions), (
        f"{rule.code}: no disabled case"
    )


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids)
def test_rules_are_found_by_code_and_name(rule: RuleBase) -> None:
    assert find(rule.code) is rule
    assert find(rule.code.lower()) is rule
    assert find(rule.name) is rule
