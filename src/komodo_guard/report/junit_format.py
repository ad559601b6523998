"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure).

One test suite per file with findings (findings about a Komodo resource and no
file go in ``(resources)``); one test case per finding, named by rule code, name,
position (``line 4 column 1``, ``line 4``, or ``the file``) and resource. Names
are unique within a suite, as CI dashboards key cases by name: a name that would
repeat gets ``#2``, ``#3``... in the order the findings come (which is stable).
Errors and warnings are failures, infos are passing cases with the message as
output, suppressed findings are skipped with their reason. A clean run is one
passing case, so the report is never empty.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections import Counter, defaultdict

from komodo_guard.report.interface import LintResult
from komodo_guard.rules.interface import Finding, Severity


def _name(finding: Finding) -> str:
    """Rule, position and resource: ``KG102 unknown-key at line 4 column 1``."""
    location, resource = finding.location, finding.resource
    places = []
    if location is not None:
        if not location.line:
            places.append("the file")
        elif not location.column:
            places.append(f"line {location.line}")
        else:
            places.append(f"line {location.line} column {location.column}")
    if resource is not None:
        places.append(str(resource))
    where = ", ".join(places) or "the run"
    return f"{finding.code} {finding.name} at {where}"


def _unique(names: list[str]) -> list[str]:
    """``names`` with ``#2``, ``#3``... on the second and later repeats."""
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return unique


def _case(suite: ElementTree.Element, finding: Finding, name: str) -> None:
    location = finding.location
    case = ElementTree.SubElement(
        suite,
        "testcase",
        classname=(location.path if location else "resources").replace("/", "."),
        name=name,
    )
    text = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    if finding.suppressed:
        ElementTree.SubElement(case, "skipped", message=finding.suppressed)
    elif finding.severity >= Severity.WARNING:
        failure = ElementTree.SubElement(
            case, "failure", message=finding.message, type=finding.severity.label
        )
        failure.text = text
    else:
        ElementTree.SubElement(case, "system-out").text = text


def render(result: LintResult) -> str:
    """The whole result as a JUnit XML document."""
    suites = ElementTree.Element("testsuites", name="komodo-guard")
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_file[finding.location.path if finding.location else "(resources)"].append(
            finding
        )
    if not by_file:
        suite = ElementTree.SubElement(suites, "testsuite", name=result.root)
        ElementTree.SubElement(suite, "testcase", classname="komodo-guard", name="lint")
    for path, findings in sorted(by_file.items()):
        suite = ElementTree.SubElement(suites, "testsuite", name=path)
        names = _unique([_name(finding) for finding in findings])
        for finding, name in zip(findings, names, strict=True):
            _case(suite, finding, name)
        failures = [
            f for f in findings if not f.suppressed and f.severity >= Severity.WARNING
        ]
        suite.set("tests", str(len(findings)))
        suite.set("failures", str(len(failures)))
        suite.set("skipped", str(sum(1 for f in findings if f.suppressed)))
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
