"""``komodo-guard explain`` and ``komodo-guard rules``."""

from __future__ import annotations

import inspect
import itertools

import pytest

from komodo_guard.cli.main import main
from komodo_guard.rules.files import syntax_error
from komodo_guard.rules.registry import ALL_RULES, find


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("key", ["KG001", "kg001", "syntax-error", " KG001 "])
def test_explain_prints_header_and_docstring(
    key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = (
        "KG001 syntax-error\n"
        "severity: error    class: invalid-config\n\n"
        f"{inspect.cleandoc(syntax_error.__doc__ or '')}\n"
    )
    assert _run(capsys, "explain", key) == (0, expected, "")


def test_unknown_rule_suggests_close_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "explain", "syntax-eror") == (
        2,
        "",
        "komodo-guard: error: unknown rule 'syntax-eror'; did you mean "
        "`syntax-error` or `sync-error`?\n",
    )


def test_unknown_rule_without_a_close_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "explain", "zzzz") == (
        2,
        "",
        "komodo-guard: error: unknown rule 'zzzz'; `komodo-guard rules` "
        "lists them all\n",
    )


def test_rules_lists_every_rule_aligned(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "rules")
    assert (code, err) == (0, "")
    header, *rows = out.splitlines()
    assert header.split() == ["CODE", "NAME", "SEVERITY", "CLASS", "SUMMARY"]
    assert len(rows) == len(ALL_RULES)
    starts = [header.index(word) for word in ("NAME", "SEVERITY", "CLASS", "SUMMARY")]
    for rule, row in zip(ALL_RULES, rows, strict=True):
        cells = [
            row[: starts[0]],
            *(row[a:b] for a, b in itertools.pairwise(starts)),
            row[starts[-1] :],
        ]
        assert [c.strip() for c in cells] == [
            rule.code,
            rule.name,
            rule.severity.label,
            rule.failure_class.value,
            rule.summary,
        ]


@pytest.mark.parametrize("key", ["KG000", "kg000", "check-incomplete", " KG000 "])
def test_explain_says_what_a_check_that_could_not_run_means(
    key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "explain", key)
    assert (code, err) == (0, "")
    assert out.startswith(
        "KG000 check-incomplete\nseverity: error    class: incomplete\n\n"
        "A check that could not run, so its part of the report is unknown.\n"
    )
    assert "What to do: read the finding's message and hint" in out
    assert "exit code 2" in out


def test_check_incomplete_is_not_registered_as_a_rule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert find("KG000") is None
    _, out, _ = _run(capsys, "rules")
    assert "KG000" not in out


def test_outage_open_says_not_every_log_is_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "explain", "KG1101")
    assert code == 0
    assert "reads every failed Update with its log" not in out
    flat = " ".join(out.split())
    assert "reads the logs of some failures only" in flat
    assert "counts as ``other`` with its log unread" in flat
    assert "how many failures were classified without their logs" in flat
