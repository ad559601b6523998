"""Every incident kind is explained for an operator."""

from __future__ import annotations

import pytest

from komodo_guard.history.kinds import KIND_TEXT
from komodo_guard.history.model import IncidentKind


@pytest.mark.parametrize("kind", list(IncidentKind))
def test_every_kind_has_title_cause_and_fix(kind: IncidentKind) -> None:
    text = KIND_TEXT[kind]
    assert text.title
    assert text.cause
    assert text.fix
    assert len(text.title) <= 40
    for part in (text.title, text.cause, text.fix):
        assert part == part.strip()
        assert "\n" not in part
        assert not part.endswith(".")


def test_the_table_holds_nothing_else() -> None:
    assert set(KIND_TEXT) == set(IncidentKind)
    assert len({text.title for text in KIND_TEXT.values()}) == len(IncidentKind)
