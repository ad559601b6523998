"""Every failure class has words in the audit."""

from __future__ import annotations

import pytest

from komodo_guard.report.audit.taxonomy import CLASS_TEXT
from komodo_guard.rules.interface import FailureClass


@pytest.mark.parametrize("failure_class", list(FailureClass))
def test_every_class_has_a_title_cause_and_fix(failure_class: FailureClass) -> None:
    text = CLASS_TEXT[failure_class]
    assert text.title
    assert text.cause
    assert text.fix
    assert not text.cause.endswith(".")
    assert not text.fix.endswith(".")
