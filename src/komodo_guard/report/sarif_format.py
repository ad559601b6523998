"""SARIF 2.1.0, the format GitHub code scanning and most CI dashboards import.

One run. ``tool.driver.rules`` holds a descriptor for each rule that produced a
finding (suppressed ones included), not for every registered rule: each result
points at its descriptor by ``ruleIndex``, and the rules that found nothing would
only add their whole documentation to every upload. Descriptors come from the rule
docstrings, so ``explain``, the docs and code scanning's help panel say the same.

Locations are relative URIs under ``%SRCROOT%``: for a relative tree (``lint
infra``) that is the folder the command ran in and the URI starts with ``infra/``;
for an absolute tree it is the tree itself, given in ``originalUriBaseIds``. A
finding's absolute path (a host checkout, an inventory file) is made relative
to an absolute root it lies under; one outside the scanned root is relative to
``%FSROOT%``, the file system's root (``file:///``), so no URI is absolute.
Suppressed findings stay in the log with an ``inSource`` suppression and its reason.

Every result has a ``physicalLocation`` with a region (GitHub code scanning
rejects a result without one), even when no file of the tree is to blame: a
finding about a resource that only Core holds (``drift`` on a deployment
created in the UI) points at ``komodo-core/<kind>/<name>`` (``komodo-core/
deployment/mongo-backup``), one about Core as a whole at ``komodo-core``, and
one about the run as a whole at ``komodo-guard``. These URIs name no file; they
are relative and stable, so code scanning keeps one alert per resource across
runs. Their region is line 1, their ``artifactLocation.description`` says what
they stand for and ``properties.notAFile`` marks them. A resource also gets a
``logicalLocations`` entry, file or not.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from komodo_guard import __version__
from komodo_guard.report.interface import LintResult
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveRuleInfo,
    Location,
    RuleBase,
    Severity,
)

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FSROOT = "%FSROOT%"
"""The base of files outside the scanned root: the file system's root."""
CORE = "komodo-core"
"""The stand-in artifact of findings about Core and the resources it holds."""
RUN = "komodo-guard"
"""The stand-in artifact of findings about the run as a whole."""
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_LITERAL_INTRO = re.compile(r"::\s*$")
_INLINE_LITERAL = re.compile(r"``(.+?)``")

Json = dict[str, Any]


def render(result: LintResult, rules: Mapping[str, RuleBase] | None = None) -> str:
    """The whole result as a SARIF log; ``rules`` maps codes to rules (default:
    the registry)."""
    if rules is None:
        from komodo_guard.rules.registry import BY_KEY

        rules = BY_KEY
    descriptors = _descriptors(result.findings, rules)
    index = {descriptor["id"]: i for i, descriptor in enumerate(descriptors)}
    run: Json = {
        "tool": {"driver": _driver(descriptors)},
        "invocations": [_invocation(result)],
        "columnKind": "unicodeCodePoints",
        "results": [_result(result, f, index[f.code], rules) for f in result.findings],
    }
    bases = _bases(result)
    if bases:
        run["originalUriBaseIds"] = bases
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _driver(descriptors: list[Json]) -> Json:
    return {
        "name": "komodo-guard",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": descriptors,
    }


def _invocation(result: LintResult) -> Json:
    incomplete = any(f.failure_class is FailureClass.INCOMPLETE for f in result.active)
    invocation: Json = {"executionSuccessful": not incomplete}
    if result.notes:
        invocation["toolExecutionNotifications"] = [
            {"level": "note", "message": {"text": note}} for note in result.notes
        ]
    return invocation


def _descriptors(
    findings: tuple[Finding, ...], rules: Mapping[str, RuleBase]
) -> list[Json]:
    firsts: dict[str, Finding] = {}
    for finding in findings:
        firsts.setdefault(finding.code, finding)
    return [_descriptor(rules.get(code), firsts[code]) for code in sorted(firsts)]


def _descriptor(rule: RuleBase | None, finding: Finding) -> Json:
    """A rule's reportingDescriptor; a code outside the registry (a crashed rule's
    ``check-incomplete``) is described from its finding."""
    if rule is None:
        doc = f"{finding.name}: reported by komodo-guard itself, not by a rule."
        name, severity, failure_class = (
            finding.name,
            finding.severity,
            finding.failure_class,
        )
    else:
        doc, name = rule.doc, rule.name
        severity, failure_class = rule.severity, rule.failure_class
    summary, body = split_doc(doc)
    return {
        "id": finding.code,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": body or summary},
        "help": {"text": inspect.cleandoc(doc), "markdown": doc_to_markdown(doc)},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": ["komodo", failure_class.value]},
    }


def _result(
    result: LintResult,
    finding: Finding,
    rule_index: int,
    rules: Mapping[str, RuleBase],
) -> Json:
    text = finding.message
    if finding.hint:
        text += f"\nhint: {finding.hint}"
    item: Json = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
    }
    item["locations"] = [_location(result, finding, rules)]
    if finding.suppressed:
        item["suppressions"] = [
            {"kind": "inSource", "justification": finding.suppressed}
        ]
    return item


def _location(
    result: LintResult, finding: Finding, rules: Mapping[str, RuleBase]
) -> Json:
    place = finding.location
    if place is not None:
        location: Json = {"physicalLocation": _in_file(result, place)}
    else:
        location = {"physicalLocation": _not_a_file(finding, rules)}
    resource = finding.resource
    if resource is not None:
        qualified = f"{resource.kind}/{resource.name}"
        location["logicalLocations"] = [
            {
                "name": resource.name,
                "fullyQualifiedName": qualified,
                "kind": resource.kind,
            }
        ]
    return location


def _in_file(result: LintResult, place: Location) -> Json:
    region = {
        key: value
        for key, value in (
            ("startLine", place.line),
            ("startColumn", place.column),
            ("endLine", place.end_line),
            ("endColumn", place.end_column),
        )
        if value > 0
    }
    uri, base = _uri(result, place.path)
    return {
        "artifactLocation": {"uri": uri, "uriBaseId": base},
        "region": region if place.line > 0 else {"startLine": 1},
    }


def _not_a_file(finding: Finding, rules: Mapping[str, RuleBase]) -> Json:
    """The stand-in location of a finding no file of the tree is to blame for."""
    resource = finding.resource
    if resource is not None:
        uri = "/".join(_percent(p) for p in (CORE, resource.kind, resource.name))
        what = f"{resource} in Komodo Core; no file of the tree declares it"
    elif isinstance(rules.get(finding.code), LiveRuleInfo):
        uri, what = CORE, "Komodo Core as a whole"
    else:
        uri, what = RUN, "the komodo-guard run as a whole"
    return {
        "artifactLocation": {
            "uri": uri,
            "description": {"text": f"not a file: {what}"},
        },
        "region": {"startLine": 1},
        "properties": {"notAFile": True},
    }


def _is_absolute(root: str) -> bool:
    return PurePosixPath(root).is_absolute() or PureWindowsPath(root).is_absolute()


def _uri(result: LintResult, path: str) -> tuple[str, str]:
    """The relative URI of a finding's file, and the base it is relative to."""
    if not _is_absolute(path):
        relative = path if _is_absolute(result.root) else result.path_from_cwd(path)
        return _encoded(relative.split("/")), SRCROOT
    under_root = _relative_to(path, result.root)
    if under_root is not None:
        return _encoded(under_root), SRCROOT
    return _from_fs_root(path), FSROOT


def _outside_root(result: LintResult, path: str) -> bool:
    return _is_absolute(path) and _relative_to(path, result.root) is None


def _from_fs_root(path: str) -> str:
    """Absolute ``path`` relative to ``file:///``; a Windows drive is its first
    segment, its colon encoded so that it does not read as a URI scheme."""
    windows = PureWindowsPath(path)
    if windows.drive:
        drive = quote(windows.drive, safe="")
        return "/".join([drive, _encoded(list(windows.parts[1:]))])
    return _encoded(list(PurePosixPath(path).parts[1:]))


def _relative_to(path: str, root: str) -> list[str] | None:
    """The parts of absolute ``path`` below absolute ``root``; None when it is
    not below it (or ``root`` is not absolute)."""
    if not _is_absolute(root):
        return None
    kind = PureWindowsPath if PureWindowsPath(root).drive else PurePosixPath
    try:
        return list(kind(path).relative_to(kind(root)).parts) or ["."]
    except ValueError:
        return None


def _encoded(parts: list[str]) -> str:
    return "/".join(_percent(part) for part in parts)


def _bases(result: LintResult) -> Json:
    """``originalUriBaseIds``: the absolute root, and the file system's root
    when a finding's file lies outside the scanned root."""
    bases: Json = {}
    base = _base_uri(result.root)
    if base:
        bases[SRCROOT] = {"uri": base}
    if any(
        finding.location is not None and _outside_root(result, finding.location.path)
        for finding in result.findings
    ):
        bases[FSROOT] = {
            "uri": "file:///",
            "description": {"text": "the file system's root: files outside the tree"},
        }
    return bases


def _base_uri(root: str) -> str:
    """``file:///abs/tree/`` for an absolute root; empty for a relative one."""
    if not _is_absolute(root):
        return ""
    if PureWindowsPath(root).drive:
        uri = PureWindowsPath(root).as_uri()
    else:
        uri = PurePosixPath(root).as_uri()
    return uri.rstrip("/") + "/"


def _percent(segment: str) -> str:
    """Percent-encode what a URI path segment cannot hold as is."""
    return quote(segment, safe="!$&'()*+,;=:@-._~")


def split_doc(doc: str) -> tuple[str, str]:
    """A docstring's first line and the rest, both cleaned of indentation."""
    lines = inspect.cleandoc(doc).splitlines() or [""]
    return lines[0].strip(), "\n".join(lines[1:]).strip()


def doc_to_markdown(doc: str) -> str:
    """A rule docstring (reStructuredText habits) as Markdown: ``x`` becomes
    `x`, and an indented block after ``::`` becomes a fenced TOML block."""
    out: list[str] = []
    fence_open = False
    for line in inspect.cleandoc(doc).splitlines():
        if fence_open and line.strip() and not line.startswith((" ", "\t")):
            out.extend(["```", ""])
            fence_open = False
        if fence_open:
            out.append(line[4:] if line.startswith("    ") else line.strip())
        elif _LITERAL_INTRO.search(line):
            out.extend(
                [_LITERAL_INTRO.sub(":", _INLINE_LITERAL.sub(r"`\1`", line)), ""]
            )
            out.append("```toml")
            fence_open = True
        else:
            out.append(_INLINE_LITERAL.sub(r"`\1`", line))
    if fence_open:
        out.append("```")
    return _tidy_fences("\n".join(out)).strip() + "\n"


def _tidy_fences(text: str) -> str:
    """Drop the blank lines a literal block starts and ends with inside a fence."""
    text = re.sub(r"```toml\n(?:[ \t]*\n)+", "```toml\n", text)
    return re.sub(r"\n(?:[ \t]*\n)+```$", "\n```", text, flags=re.MULTILINE)
