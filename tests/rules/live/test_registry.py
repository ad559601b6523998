"""Every live rule: registered, coded, documented as the brief asks."""

from __future__ import annotations

import re

import pytest

from komodo_guard.rules.interface import LiveRuleInfo
from komodo_guard.rules.live import RULES
from komodo_guard.rules.registry import LIVE_RULES


def test_registered_in_code_order() -> None:
    assert [rule.code for rule in RULES] == sorted(rule.code for rule in RULES)
    assert set(LIVE_RULES) == set(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_documented(rule: LiveRuleInfo) -> None:
    assert re.fullmatch(r"KG1[01]\d\d", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule.name)
    assert len(rule.summary) <= 100
    assert "Failing" in rule.doc
    assert "Passing" in rule.doc
    assert rule.checker.__module__.endswith(rule.name.replace("-", "_"))
