"""The explicit registry of every rule, in code order."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from komodo_guard.rules import (
    compose,
    content,
    files,
    host,
    install,
    layout,
    live,
    references,
    resources,
    wiring,
)
from komodo_guard.rules.interface import HostRuleInfo, LiveRuleInfo, RuleBase, RuleInfo

STATIC_RULES: tuple[RuleInfo, ...] = tuple(
    sorted(
        (
            *files.RULES,
            *resources.RULES,
            *references.RULES,
            *content.RULES,
            *layout.RULES,
            *compose.RULES,
            *install.RULES,
            *wiring.RULES,
        ),
        key=lambda rule: rule.code,
    )
)
"""Rules over a GitOps tree (``lint``)."""

LIVE_RULES: tuple[LiveRuleInfo, ...] = tuple(
    sorted(live.RULES, key=lambda rule: rule.code)
)
"""Rules over what Komodo Core reports (``drift``, ``audit --komodo``)."""

HOST_RULES: tuple[HostRuleInfo, ...] = tuple(
    sorted(host.RULES, key=lambda rule: rule.code)
)
"""Rules over what is on a Docker host (``host``)."""

ALL_RULES: tuple[RuleBase, ...] = STATIC_RULES + LIVE_RULES + HOST_RULES


def _index() -> Mapping[str, RuleBase]:
    table: dict[str, RuleBase] = {}
    for rule in ALL_RULES:
        for key in (rule.code.upper(), rule.name):
            if key in table:
                raise RuntimeError(f"rule {key} is registered twice")
            table[key] = rule
    return MappingProxyType(table)


BY_KEY: Mapping[str, RuleBase] = _index()


def find(key: str) -> RuleBase | None:
    """A rule by code (any case) or kebab-case name."""
    return BY_KEY.get(key.upper()) or BY_KEY.get(key.lower())
