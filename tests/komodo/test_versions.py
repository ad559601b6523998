"""Komodo version parsing, ordering and mapping to supported releases."""

from __future__ import annotations

import pytest

from komodo_guard.komodo.versions import (
    NEWEST,
    SUPPORTED,
    KomodoVersion,
    closest_supported,
    toml_spec,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.3.2", KomodoVersion(2, 3, 2)),
        ("2.3", KomodoVersion(2, 3, 0)),
        ("v1.17", KomodoVersion(1, 17, 0)),
        (" 1.16.12 ", KomodoVersion(1, 16, 12)),
    ],
)
def test_parse(text: str, expected: KomodoVersion) -> None:
    assert KomodoVersion.parse(text) == expected


@pytest.mark.parametrize("text", ["", "2", "latest", "2.3.2-rc1", "1.x"])
def test_parse_rejects_with_supported_list(text: str) -> None:
    with pytest.raises(ValueError, match=r"supported versions: 1\.16\.12, .*2\.3\.2"):
        KomodoVersion.parse(text)


def test_str_and_order() -> None:
    assert str(KomodoVersion(2, 3)) == "2.3.0"
    assert KomodoVersion(1, 18, 2) < KomodoVersion(1, 18, 4) < KomodoVersion(2, 0)
    assert list(SUPPORTED) == sorted(SUPPORTED)
    assert len(SUPPORTED) == 8
    assert KomodoVersion(2, 3, 2) == NEWEST


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("2.3", "2.3.2"),
        ("2.3.9", "2.3.2"),
        ("1.17.0", "1.17.5"),
        ("1.20.1", "1.19.5"),
        ("3.0", "2.3.2"),
        ("1.16.0", "1.16.12"),
    ],
)
def test_closest_supported(asked: str, expected: str) -> None:
    assert str(closest_supported(KomodoVersion.parse(asked))) == expected


def test_closest_supported_refuses_older_releases() -> None:
    with pytest.raises(ValueError, match="older than every supported version"):
        closest_supported(KomodoVersion(1, 15))


def test_toml_spec() -> None:
    assert toml_spec(KomodoVersion(1, 19, 5)) == "1.0"
    assert toml_spec(KomodoVersion(2, 0, 0)) == "1.1"
