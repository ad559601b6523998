"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure).

One test suite per file with findings (findings about a Komodo resource and no
file go in ``(resources)``); one test case per finding, named by rule code, name
and position or resource. Errors and warnings are failures, infos are passing cases
with the message as output, suppressed findings are skipped with their reason. A
clean run is one passing case, so the report is never empty.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections import defaultdict

from komodo_guard.report.interface import LintResult
from komodo_guard.rules.interface import Finding, Severity


def _case(suite: ElementTree.Element, finding: Finding) -> None:
    location = finding.location
    if location is not None:
        where = f"{location.line}:{location.column}"
    else:
        where = str(finding.resource) if finding.resource else "-"
    case = ElementTree.SubElement(
        suite,
        "testcase",
        classname=(location.path if location else "resources").replace("/", "."),
        name=f"{finding.code} {finding.name} at {where}",
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
        for finding in findings:
            _case(suite, finding)
        failures = [
            f for f in findings if not f.suppressed and f.severity >= Severity.WARNING
        ]
        suite.set("tests", str(len(findings)))
        suite.set("failures", str(len(failures)))
        suite.set("skipped", str(sum(1 for f in findings if f.suppressed)))
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
