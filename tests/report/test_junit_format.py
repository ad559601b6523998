import xml.etree.ElementTree as ElementTree

from komodo_guard.report.interface import LintResult
from komodo_guard.report.junit_format import render
from komodo_guard.rules.interface import FailureClass, Finding, Location, Severity


def _finding(severity: Severity, line: int, suppressed: str = "") -> Finding:
    return Finding(
        "KG102",
        "unknown-key",
        severity,
        FailureClass.INVALID_CONFIG,
        "unknown key `x` <&>",
        Location("k/s.toml", line, 1),
        suppressed=suppressed,
    )


def test_failures_skips_and_output() -> None:
    result = LintResult(
        "tree",
        "2.3.2",
        (
            _finding(Severity.ERROR, 1),
            _finding(Severity.INFO, 2),
            _finding(Severity.WARNING, 3, "reviewed"),
        ),
        1,
        1,
    )
    root = ElementTree.fromstring(render(result))
    (suite,) = root.findall("testsuite")
    assert suite.attrib == {
        "name": "k/s.toml",
        "tests": "3",
        "failures": "1",
        "skipped": "1",
    }
    cases = suite.findall("testcase")
    assert cases[0].find("failure") is not None
    assert cases[0].find("failure").attrib["message"] == "unknown key `x` <&>"  # type: ignore[union-attr]
    assert cases[1].find("system-out") is not None
    assert cases[2].find("skipped").attrib["message"] == "reviewed"  # type: ignore[union-attr]


def test_a_clean_run_is_one_passing_case() -> None:
    root = ElementTree.fromstring(render(LintResult("tree", "2.3.2", (), 0, 0)))
    assert [c.attrib["name"] for c in root.iter("testcase")] == ["lint"]


def _names(*findings: Finding) -> list[list[str]]:
    root = ElementTree.fromstring(render(LintResult("tree", "2.3.2", findings, 1, 1)))
    return [
        [case.attrib["name"] for case in suite.findall("testcase")]
        for suite in root.findall("testsuite")
    ]


def test_case_names_are_unique_and_stable_within_a_suite() -> None:
    from komodo_guard.rules.interface import ResourceRef

    twice = _finding(Severity.ERROR, 3)
    app = ResourceRef("stack", "app")
    whole = Finding(
        "KG003",
        "empty-file",
        Severity.WARNING,
        FailureClass.INVALID_CONFIG,
        "empty",
        Location("k/s.toml", 0, 0),
    )
    line = Finding(
        "KG003",
        "empty-file",
        Severity.WARNING,
        FailureClass.INVALID_CONFIG,
        "empty",
        Location("k/s.toml", 7, 0),
        resource=app,
    )
    core = Finding(
        "KG1003",
        "not-in-git",
        Severity.WARNING,
        FailureClass.SYNC_DRIFT,
        "m",
        resource=app,
    )
    names = _names(twice, twice, whole, line, core, core)
    assert names == [
        [
            "KG1003 not-in-git at stack 'app'",
            "KG1003 not-in-git at stack 'app' #2",
        ],
        [
            "KG102 unknown-key at line 3 column 1",
            "KG102 unknown-key at line 3 column 1 #2",
            "KG003 empty-file at the file",
            "KG003 empty-file at line 7, stack 'app'",
        ],
    ]
    assert names == _names(twice, twice, whole, line, core, core)
