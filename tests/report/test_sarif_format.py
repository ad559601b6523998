"""SARIF 2.1.0: validated against the hand-written schema subset, and by value."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from komodo_guard import __version__
from komodo_guard.report import sarif_format
from komodo_guard.rules.files import empty_file, syntax_error
from komodo_guard.rules.interface import (
    FailureClass,
    Location,
    ResourceRef,
    Severity,
)
from komodo_guard.rules.registry import BY_KEY
from tests.report.samples import EMPTY, SYNTAX, UNSYNCED, finding, result
from tests.report.sarif_schema import SARIF_SUBSET, github_problems


def _log(
    *findings: Any, root: str = ".", notes: tuple[str, ...] = ()
) -> dict[str, Any]:
    text = sarif_format.render(result(*findings, root=root, notes=notes))
    document: dict[str, Any] = json.loads(text)
    jsonschema.validate(
        document, SARIF_SUBSET, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    assert github_problems(document) == []
    return document


def test_the_schema_subset_rejects_what_sarif_rejects() -> None:
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}
    with pytest.raises(jsonschema.ValidationError, match="'name' is a required"):
        jsonschema.validate(bad, SARIF_SUBSET)
    wrong_level = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "x"}},
                "results": [{"message": {"text": "m"}, "level": "info"}],
            }
        ],
    }
    with pytest.raises(jsonschema.ValidationError, match="'info' is not one of"):
        jsonschema.validate(wrong_level, SARIF_SUBSET)


def test_driver_and_one_descriptor_per_rule_that_found_something() -> None:
    run = _log(SYNTAX, EMPTY)["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("komodo-guard", __version__)
    assert "informationUri" not in driver
    assert [rule["id"] for rule in driver["rules"]] == ["KG001", "KG003"]
    first = driver["rules"][0]
    assert first["name"] == "syntax-error"
    assert first["shortDescription"] == {"text": syntax_error.RULE.summary}
    assert first["defaultConfiguration"] == {"level": "error"}
    assert first["help"]["text"].startswith("A resource file Komodo cannot parse.\n\n")
    assert '```toml\n[[stack]]\nname = "app\n' in first["help"]["markdown"]
    assert driver["rules"][1]["fullDescription"]["text"].startswith("An empty (or")
    assert driver["rules"][1]["properties"] == {"tags": ["komodo", "invalid-config"]}


def test_results_have_level_message_and_relative_location() -> None:
    results = _log(SYNTAX, EMPTY, UNSYNCED)["runs"][0]["results"]
    assert results[0] == {
        "ruleId": "KG003",
        "ruleIndex": 1,
        "level": "warning",
        "message": {
            "text": "empty file: it declares no Komodo resources\nhint: delete the file"
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "empty.toml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 1, "startColumn": 1},
                }
            }
        ],
    }
    assert [r["level"] for r in results] == ["warning", "note", "error"]
    assert [r["ruleIndex"] for r in results] == [1, 2, 0]


def test_suppressed_findings_stay_with_their_justification() -> None:
    hidden = finding(location=Location("x.toml", 1, 1), suppressed="vendored file")
    (item,) = _log(hidden)["runs"][0]["results"]
    assert item["suppressions"] == [
        {"kind": "inSource", "justification": "vendored file"}
    ]


def test_relative_root_prefixes_the_uri() -> None:
    run = _log(SYNTAX, root="infra")["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "infra/stacks.toml", "uriBaseId": "%SRCROOT%"}
    assert "originalUriBaseIds" not in run


def test_absolute_root_becomes_the_base_and_uris_are_percent_encoded() -> None:
    spaced = finding(location=Location("my stacks/a#b.toml", 2, 1))
    run = _log(spaced, root="/srv/git ops")["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/git%20ops/"}}
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"
    ]
    assert uri == "my%20stacks/a%23b.toml"


def test_resource_and_unregistered_code_and_incomplete_run() -> None:
    crashed = finding(
        "KG000",
        name="check-incomplete",
        failure_class=FailureClass.INCOMPLETE,
        message="rule KG999 could not run",
        resource=ResourceRef("stack", "web"),
    )
    run = _log(crashed, notes=("no Core configured",))["runs"][0]
    assert run["invocations"] == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {"level": "note", "message": {"text": "no Core configured"}}
            ],
        }
    ]
    (rule,) = run["tool"]["driver"]["rules"]
    assert (rule["id"], rule["name"]) == ("KG000", "check-incomplete")
    assert run["results"][0]["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {
                    "uri": "komodo-core/stack/web",
                    "description": {
                        "text": "not a file: stack 'web' in Komodo Core; no file "
                        "of the tree declares it"
                    },
                },
                "region": {"startLine": 1},
                "properties": {"notAFile": True},
            },
            "logicalLocations": [
                {"name": "web", "fullyQualifiedName": "stack/web", "kind": "stack"}
            ],
        }
    ]


def test_github_rules_catch_a_result_without_a_physical_location() -> None:
    bare = {"runs": [{"results": [{"ruleId": "KG1", "locations": [{}]}]}]}
    assert github_problems(bare) == [
        "result 0 (KG1): no physicalLocation.artifactLocation.uri",
        "result 0 (KG1): no region.startLine",
    ]
    absolute = {
        "artifactLocation": {"uri": "file:///srv/a.toml"},
        "region": {"startLine": 2},
    }
    wrong = {"runs": [{"results": [{"locations": [{"physicalLocation": absolute}]}]}]}
    assert github_problems(wrong) == [
        "result 0 (None): uri 'file:///srv/a.toml' is not relative"
    ]


def test_every_result_of_a_drift_run_has_a_relative_physical_location() -> None:
    silent = FailureClass.SILENT_FAILURE
    backup = finding(
        "KG1010",
        name="execution-failed",
        failure_class=silent,
        resource=ResourceRef("deployment", "mongo backup/1"),
    )
    core = finding("KG1015", name="alerts-not-sent", failure_class=silent)
    unread = finding(
        "KG000",
        name="check-incomplete",
        failure_class=FailureClass.INCOMPLETE,
        message="could not read ListAlerters from Komodo Core",
    )
    declared = finding(
        "KG1001",
        name="sync-pending",
        failure_class=silent,
        resource=ResourceRef("resource_sync", "homelab"),
        location=Location("komodo/sync.toml", 4, 1),
    )
    results = _log(backup, core, unread, declared, root="/srv/ops")["runs"][0][
        "results"
    ]
    physical = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]
        for r in results
    }
    assert physical["KG1010"]["uri"] == "komodo-core/deployment/mongo%20backup%2F1"
    assert physical["KG1015"] == {
        "uri": "komodo-core",
        "description": {"text": "not a file: Komodo Core as a whole"},
    }
    assert physical["KG000"]["uri"] == "komodo-guard"
    assert physical["KG1001"] == {"uri": "komodo/sync.toml", "uriBaseId": "%SRCROOT%"}


def test_a_file_without_a_line_is_placed_on_its_first_line() -> None:
    whole = finding(location=Location("stacks.toml"))
    (item,) = _log(whole)["runs"][0]["results"]
    assert item["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


def test_rules_mapping_can_be_given() -> None:
    rules = {"KG003": empty_file.RULE}
    text = sarif_format.render(result(EMPTY), rules)
    driver = json.loads(text)["runs"][0]["tool"]["driver"]
    assert driver["rules"][0]["shortDescription"]["text"] == empty_file.RULE.summary
    assert BY_KEY["KG003"] is empty_file.RULE


def test_level_of_each_severity() -> None:
    assert sarif_format.LEVELS == {
        Severity.ERROR: "error",
        Severity.WARNING: "warning",
        Severity.INFO: "note",
    }


def test_doc_to_markdown_turns_literal_blocks_into_fences() -> None:
    doc = """Summary with ``code``.

    Failing::

        [[stack]]
        name = "a"

    After the block.
    """
    assert sarif_format.doc_to_markdown(doc) == (
        'Summary with `code`.\n\nFailing:\n\n```toml\n[[stack]]\nname = "a"\n```\n\n'
        "After the block.\n"
    )


def _artifact(document: dict[str, Any], number: int = 0) -> Any:
    result = document["runs"][0]["results"][number]
    return result["locations"][0]["physicalLocation"]["artifactLocation"]


def test_an_absolute_path_under_the_root_is_relative_to_it() -> None:
    checkout = finding(location=Location("/etc/komodo/stacks/app", 0, 0))
    document = _log(checkout, root="/etc/komodo")
    assert _artifact(document) == {"uri": "stacks/app", "uriBaseId": "%SRCROOT%"}
    assert document["runs"][0]["originalUriBaseIds"] == {
        "%SRCROOT%": {"uri": "file:///etc/komodo/"}
    }


@pytest.mark.parametrize("root", [".", "infra", "/srv/ops", ""])
def test_an_absolute_path_outside_the_root_is_relative_to_the_file_system(
    root: str,
) -> None:
    inventory = finding(location=Location("/home/ops/hosts ini", 3, 1))
    tree_file = finding(location=Location("stacks.toml", 1, 1))
    document = _log(inventory, tree_file, root=root)
    assert _artifact(document) == {
        "uri": "home/ops/hosts%20ini",
        "uriBaseId": "%FSROOT%",
    }
    assert _artifact(document, 1)["uriBaseId"] == "%SRCROOT%"
    bases = document["runs"][0]["originalUriBaseIds"]
    assert bases["%FSROOT%"]["uri"] == "file:///"
    assert ("%SRCROOT%" in bases) == root.startswith("/")


def test_no_file_system_base_when_nothing_lies_outside_the_root() -> None:
    assert (
        "originalUriBaseIds"
        not in _log(finding(location=Location("a.toml")))["runs"][0]
    )


def test_a_windows_drive_outside_the_root_does_not_read_as_a_scheme() -> None:
    outside = finding(location=Location("D:\\ops\\hosts.ini", 1, 1))
    assert _artifact(_log(outside, root="C:\\tree")) == {
        "uri": "D%3A/ops/hosts.ini",
        "uriBaseId": "%FSROOT%",
    }
