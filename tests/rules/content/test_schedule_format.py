"""KG601 schedule-format: cron under English, and cron with the wrong field count."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.rules.content.schedule_format import RULE, looks_like_cron
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def _procedure(*lines: str) -> dict[str, str | bytes]:
    body = "".join(f"{line}\n" for line in lines)
    return {"p.toml": f'[[procedure]]\nname = "p"\n[procedure.config]\n{body}'}


def test_cron_with_default_english_format_is_an_error(make_tree: TreeFactory) -> None:
    root = make_tree(_procedure('schedule = "0 0 3 * * *"'))
    found = findings(root, RULE)
    assert hits(root, RULE) == [("p.toml", 4, 1, "KG601")]
    assert found[0].severity is Severity.ERROR
    assert 'schedule_format = "Cron"' in found[0].hint


def test_five_fields_under_cron_ask_for_seconds(make_tree: TreeFactory) -> None:
    root = make_tree(_procedure('schedule_format = "Cron"', 'schedule = "*/5 * * * *"'))
    found = findings(root, RULE)
    assert hits(root, RULE) == [("p.toml", 5, 1, "KG601")]
    assert "`0 */5 * * * *`" in found[0].hint


def test_seven_fields_under_cron(make_tree: TreeFactory) -> None:
    root = make_tree(
        _procedure('schedule_format = "Cron"', 'schedule = "0 0 3 * * * 2025"')
    )
    assert "year" in findings(root, RULE)[0].hint


def test_english_under_cron(make_tree: TreeFactory) -> None:
    root = make_tree(
        _procedure('schedule_format = "Cron"', 'schedule = "Every day at 03:00"')
    )
    assert "reads as English" in findings(root, RULE)[0].message


def test_disabled_schedule_is_a_warning(make_tree: TreeFactory) -> None:
    root = make_tree(_procedure('schedule = "0 0 3 * * *"', "schedule_enabled = false"))
    assert findings(root, RULE)[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    "lines",
    [
        ('schedule_format = "Cron"', 'schedule = "0 */15 * * * ?"'),
        ('schedule_format = "Cron"', 'schedule = "0 0 3 * * MON-FRI"'),
        ('schedule = "Every day at 03:00"',),
        ('schedule = ""',),
    ],
)
def test_correct_schedules_pass(make_tree: TreeFactory, lines: tuple[str, ...]) -> None:
    assert hits(make_tree(_procedure(*lines)), RULE) == []


def test_actions_are_checked_too(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"a.toml": '[[action]]\nname = "a"\n[action.config]\nschedule = "0 3 * * *"\n'}
    )
    assert hits(root, RULE) == [("a.toml", 4, 1, "KG601")]


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree(_procedure('schedule = "0 0 3 * * *"'))
    assert hits(root, RULE, disabled=[RULE.code]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0 0 3 * * *", True),
        ("0 3 * * 1-5", True),
        ("0 0 12 ? JAN,FEB MON", True),
        ("Every day at 03:00", False),
        ("at 5 pm on mon", False),
        ("* * *", False),
    ],
)
def test_looks_like_cron(text: str, expected: bool) -> None:
    assert looks_like_cron(text) is expected


def test_corpus_repo06_is_reported(shared: Path) -> None:
    found = hits(shared / "corpus" / "real" / "repo06", RULE)
    assert ("komodo/resources.toml", 173, 1, "KG601") in found


@pytest.mark.parametrize("repo", ["repo02", "repo22", "repo28", "repo36"])
def test_corpus_correct_cron_is_not_reported(shared: Path, repo: str) -> None:
    assert hits(shared / "corpus" / "real" / repo, RULE) == []
