"""Value checks of cycles, policies and transitions, and titles' fallbacks."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from komodo_guard.rules.interface import Location, Severity
from komodo_guard.watch.model import Cycle, Kind, Transition
from komodo_guard.watch.settings import Policy, Reminders
from komodo_guard.watch.text import finding_title
from tests.watch.helpers import T0, pending


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (lambda: Cycle(datetime(2026, 1, 1), T0), "time zone"),
        (lambda: Cycle(T0, T0 - timedelta(seconds=1)), "end before"),
        (lambda: Cycle(T0, T0, checked=False, reason=" "), "needs a reason"),
        (lambda: Policy(resolve_after=0), "resolve_after"),
        (lambda: Policy(cannot_check_after=0), "cannot_check_after"),
        (lambda: Policy(flap_window=timedelta(0)), "positive"),
        (lambda: Reminders(error=timedelta(0)), "positive"),
    ],
)
def test_impossible_values_are_refused(build: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        build()  # type: ignore[operator]


def test_reminder_interval_per_severity() -> None:
    reminders = Reminders()
    assert reminders.interval(Severity.ERROR) == timedelta(hours=4)
    assert reminders.interval(Severity.WARNING) == timedelta(hours=24)
    assert reminders.interval(Severity.INFO) is None


def test_transition_key_names_one_occurrence() -> None:
    transition = Transition(Kind.NEW, "KG1:-:abc", Severity.ERROR, "t", "b", T0, T0)
    assert transition.key == "new:KG1:-:abc:2026-11-29T04:12:00+00:00"


def test_titles_fall_back_to_the_file_then_the_message() -> None:
    unnamed = replace(pending(), resource=None, location=Location("syncs.toml", 2))
    assert finding_title(unnamed) == "KG1001 sync-pending: syncs.toml"
    bare = replace(unnamed, location=None, message="no alerter is enabled; " + "x" * 99)
    assert finding_title(bare) == "KG1001 sync-pending: no alerter is enabled"
    long = replace(bare, message="y" * 200)
    assert finding_title(long) == "KG1001 sync-pending: " + "y" * 79 + "…"
