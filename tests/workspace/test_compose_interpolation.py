"""Finding ${VAR} / $VAR uses and their fallbacks."""

import pytest

from komodo_guard.workspace.compose_interpolation import (
    Fallback,
    find_interpolations,
    has_interpolation,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${A}", [("A", 0, Fallback.NONE)]),
        ("x $B y", [("B", 2, Fallback.NONE)]),
        ("${A:-x}", [("A", 0, Fallback.DEFAULT)]),
        ("${A-x}", [("A", 0, Fallback.DEFAULT)]),
        ("${A:?err}", [("A", 0, Fallback.REQUIRED)]),
        ("${A?err}", [("A", 0, Fallback.REQUIRED)]),
        ("${A:+x}", [("A", 0, Fallback.ALTERNATE)]),
        ("${A+x}", [("A", 0, Fallback.ALTERNATE)]),
        ("$$A $${B}", []),
        ("$$$A", [("A", 2, Fallback.NONE)]),
        ("${A:-${B}}:${C}", [("A", 0, Fallback.DEFAULT), ("C", 11, Fallback.NONE)]),
        ("cost $5 and ${}", []),
        (
            "${IMG:-a}:${TAG:-1}",
            [("IMG", 0, Fallback.DEFAULT), ("TAG", 10, Fallback.DEFAULT)],
        ),
    ],
)
def test_find_interpolations(
    text: str, expected: list[tuple[str, int, Fallback]]
) -> None:
    found = [(use.name, use.offset, use.fallback) for use in find_interpolations(text)]
    assert found == expected


def test_has_interpolation() -> None:
    assert has_interpolation("${CPUS}")
    assert not has_interpolation("$$HOME")
    assert not has_interpolation(5)
