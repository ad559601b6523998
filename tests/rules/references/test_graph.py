"""Strongly connected components used by KG208."""

from __future__ import annotations

from komodo_guard.rules.references.graph import strongly_connected


def test_components_in_input_order() -> None:
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["d"], "e": ["a", "x"]}
    assert strongly_connected(edges) == [["a", "b", "c"], ["d"], ["e"]]


def test_long_chain_needs_no_recursion() -> None:
    edges = {n: [n + 1] for n in range(20_000)}
    edges[20_000] = [0]
    assert strongly_connected(edges) == [list(range(20_001))]
