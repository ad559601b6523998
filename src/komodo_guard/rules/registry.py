"""The explicit registry of every rule, in code order."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from komodo_guard.rules import (
    compose,
    content,
    files,
    install,
    layout,
    references,
    resources,
    wiring,
)
from komodo_guard.rules.interface import RuleInfo

ALL_RULES: tuple[RuleInfo, ...] = tuple(
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


def _index() -> Mapping[str, RuleInfo]:
    table: dict[str, RuleInfo] = {}
    for rule in ALL_RULES:
        for key in (rule.code.upper(), rule.name):
            if key in table:
                raise RuntimeError(f"rule {key} is registered twice")
            table[key] = rule
    return MappingProxyType(table)


BY_KEY: Mapping[str, RuleInfo] = _index()


def find(key: str) -> RuleInfo | None:
    """A rule by code (any case) or kebab-case name."""
    return BY_KEY.get(key.upper()) or BY_KEY.get(key.lower())
