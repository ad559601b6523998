"""Every lint format renders every result; text and JSON by value."""

from __future__ import annotations

import json

import pytest

from komodo_guard.cli.lint import render
from komodo_guard.report import json_format, text_format
from komodo_guard.report.interface import Format, plural
from komodo_guard.rules.interface import Location
from tests.report.samples import EMPTY, SYNTAX, UNSYNCED, finding, result


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_renders_findings_and_the_empty_result(fmt: Format) -> None:
    full = render(result(SYNTAX, EMPTY, UNSYNCED), fmt)
    empty = render(result(), fmt)
    assert "KG001" in full
    assert "stacks.toml" in full
    assert "KG001" not in empty
    assert full.endswith("\n")
    assert empty.endswith("\n")


def test_text_lines_hints_and_summary() -> None:
    assert text_format.render(result(SYNTAX, EMPTY)).splitlines() == [
        "empty.toml:1:1: warning KG003 empty-file: empty file: it declares no "
        "Komodo resources",
        "    hint: delete the file",
        "stacks.toml:3:7: error KG001 syntax-error: invalid TOML: expected `=`",
        "",
        "3 files, 2 resources checked for Komodo 2.3.2: 1 error, 1 warning, 0 infos",
    ]


def test_text_colour_only_when_asked() -> None:
    assert "\033[31m" not in text_format.render(result(SYNTAX))
    assert "\033[31merror\033[0m" in text_format.render(result(SYNTAX), colour=True)


def test_plural() -> None:
    assert [plural(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]


def test_json_keeps_its_field_names_and_lists_suppressed_findings() -> None:
    hidden = finding(location=Location("x.toml", 2, 1), suppressed="known")
    document = json.loads(json_format.render(result(SYNTAX, hidden)))
    assert document["summary"] == {
        "files": 3,
        "resources": 2,
        "errors": 1,
        "warnings": 0,
        "infos": 0,
        "suppressed": 1,
    }
    assert document["findings"][1] == {
        "path": "x.toml",
        "line": 2,
        "column": 1,
        "code": "KG001",
        "name": "syntax-error",
        "severity": "error",
        "class": "invalid-config",
        "message": "invalid TOML: expected `=`",
        "hint": None,
        "resource": None,
        "suppressed": "known",
        "since": None,
    }


@pytest.mark.parametrize(
    ("location", "where"),
    [
        (Location("stacks/app", 0, 0), "stacks/app: "),
        (Location("a.toml", 4, 0), "a.toml:4: "),
        (Location("a.toml", 4, 2), "a.toml:4:2: "),
    ],
)
def test_text_says_only_the_parts_of_a_position_it_has(
    location: Location, where: str
) -> None:
    line = text_format.format_finding(finding(location=location))
    assert line.startswith(f"{where}error KG001 ")
    assert ":0" not in line.split(" ", 1)[0]
