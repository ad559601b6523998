"""Live results in every lint format: findings about a resource with no file,
findings at the declaring file, and the summary that names Komodo Core."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

import pytest

from komodo_guard.report import (
    github_format,
    json_format,
    junit_format,
    sarif_format,
    text_format,
)
from komodo_guard.report.interface import Format, LintResult
from komodo_guard.rules.interface import (
    FailureClass,
    Location,
    ResourceRef,
    Severity,
)
from tests.report.histories import live_summary
from tests.report.samples import finding
from tests.report.sarif_schema import github_problems

MEALIE = ResourceRef("stack", "mealie")
BEHIND = finding(
    "KG1008",
    name="stack-behind-git",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    message="stack 'mealie' does not run what git holds",
    resource=MEALIE,
    hint="deploy it",
)
DECLARED = finding(
    "KG1003",
    name="declared-not-in-core",
    failure_class=FailureClass.SYNC_DRIFT,
    message="stack 'paperless' is declared here but does not exist in Komodo Core",
    resource=ResourceRef("stack", "paperless"),
    location=Location("komodo/apps.toml", 25, 1),
)


def drift(root: str = "") -> LintResult:
    return LintResult(
        root=root,
        komodo_version="2.3.2",
        findings=(BEHIND, DECLARED),
        files_checked=0,
        resources=0,
        live=live_summary(),
    )


def test_text_names_the_resource_or_the_declaring_file() -> None:
    lines = text_format.render(drift()).splitlines()
    assert lines[0] == (
        "stack 'mealie': warning KG1008 stack-behind-git: "
        "stack 'mealie' does not run what git holds"
    )
    assert lines[1] == "    hint: deploy it"
    assert lines[2].startswith("komodo/apps.toml:25:1: error KG1003 ")
    assert lines[-1] == (
        "Komodo Core 2.3.2 (https://core.test) checked: 1 error, 1 warning, 0 infos"
    )


def test_the_summary_names_tree_and_core_when_both_were_read() -> None:
    result = LintResult(
        root="infra",
        komodo_version="2.3.2",
        findings=(),
        files_checked=3,
        resources=9,
        live=live_summary(demo=True),
    )
    assert result.summary() == (
        "3 files, 9 resources checked for Komodo 2.3.2 and Komodo Core 2.3.2 "
        "(the built-in demo emulator at https://core.test): 0 errors, 0 warnings, "
        "0 infos"
    )


def test_github_annotations_without_a_file() -> None:
    first, second, _ = github_format.render(drift()).splitlines()
    assert first == (
        "::warning title=KG1008 stack-behind-git::stack 'mealie': stack 'mealie' "
        "does not run what git holds%0Ahint: deploy it"
    )
    assert second.startswith("::error file=komodo/apps.toml,line=25,col=1,")


def test_json_keeps_the_resource_and_adds_what_core_was_read() -> None:
    document = json.loads(json_format.render(drift()))
    first = document["findings"][0]
    assert (first["path"], first["line"], first["resource"]) == (
        None,
        None,
        {"kind": "stack", "name": "mealie"},
    )
    assert document["live"] == {
        "url": "https://core.test",
        "version": "2.3.2",
        "demo": False,
        "since": "2026-11-01T12:00:00+00:00",
        "until": "2026-12-01T12:00:00+00:00",
        "refreshed": False,
        "counts": {"stacks": 7, "syncs": 1, "updates": 40},
        "unread": [],
    }


def test_json_of_a_lint_run_has_no_live_key() -> None:
    lint = LintResult("", "2.3.2", (), 0, 0)
    assert "live" not in json.loads(json_format.render(lint))


def test_sarif_places_a_resource_only_core_holds_under_komodo_core() -> None:
    log = json.loads(sarif_format.render(drift()))
    assert github_problems(log) == []
    first, second = log["runs"][0]["results"]
    (location,) = first["locations"]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == (
        "komodo-core/stack/mealie"
    )
    assert location["logicalLocations"] == [
        {"name": "mealie", "fullyQualifiedName": "stack/mealie", "kind": "stack"}
    ]
    physical = second["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "komodo/apps.toml"


def test_junit_names_the_resource_in_the_case() -> None:
    suites = ElementTree.fromstring(junit_format.render(drift()))
    names = {suite.get("name"): suite for suite in suites}
    resources = names["(resources)"]
    (case,) = list(resources)
    assert case.get("name") == "KG1008 stack-behind-git at stack 'mealie'"
    assert case.find("failure") is not None


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_renders_a_live_result(fmt: Format) -> None:
    from komodo_guard.cli.lint import render

    text = render(drift(), fmt)
    assert "mealie" in text
