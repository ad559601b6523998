"""The host rule group: codes, names and documentation."""

from __future__ import annotations

import re

import pytest

from komodo_guard.rules.host import RULES
from komodo_guard.rules.interface import HostRuleInfo
from komodo_guard.rules.registry import BY_KEY


def test_codes_are_unique_four_digit_ordered_and_registered() -> None:
    codes = [rule.code for rule in RULES]

    assert codes == sorted(set(codes))
    assert all(re.fullmatch(r"KG12\d\d", code) for code in codes)
    assert all(BY_KEY[rule.code] is rule for rule in RULES)
    assert all(BY_KEY[rule.name] is rule for rule in RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_documentation(rule: HostRuleInfo) -> None:
    summary = rule.doc.strip().splitlines()[0]

    assert len(summary) <= 100
    assert "Failing:" in rule.doc
    assert "Passing:" in rule.doc
    assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule.name)
