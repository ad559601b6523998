"""Komodo's per-kind name normalisation (FACTS §1.3 item 5)."""

from __future__ import annotations

import pytest

from komodo_guard.komodo.names import normalize_name


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("stack", "My Stack", "my_stack"),
        ("stack", "  web.app  ", "web_app"),
        ("stack", "_-lead", "lead"),
        ("build", "Api&Worker", "api_worker"),
        ("deployment", "My.Container v2", "My.Container_v2"),
        ("deployment", ".hidden", "hidden"),
        ("repo", " my repo\nname ", "my_repo_name"),
        ("server", " Main Server\n2 ", "Main Server_2"),
        ("procedure", "Nightly Backup", "Nightly Backup"),
    ],
)
def test_normalize_name(kind: str, name: str, expected: str) -> None:
    assert normalize_name(kind, name) == expected


def test_normal_names_are_fixed_points() -> None:
    for kind in ("stack", "build", "deployment", "repo", "server"):
        once = normalize_name(kind, "Some Name.1")
        assert normalize_name(kind, once) == once
