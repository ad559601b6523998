"""GitHub Actions workflow commands: one annotation per active finding.

Each finding becomes ``::error file=…,line=…,col=…,title=KG102 unknown-key::message``
(``warning`` for warnings, ``notice`` for infos), which GitHub shows on the pull
request's diff. Paths are joined to the linted folder so they are relative to where
the job ran, normally the repository's root. Values are escaped the way the
Actions runner decodes them: ``%``, CR and LF everywhere, and also ``:`` and ``,``
inside properties. A plain summary line ends the output.
"""

from __future__ import annotations

from komodo_guard.report.interface import LintResult
from komodo_guard.rules.interface import Finding, Severity

_COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: the message escapes plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _properties(result: LintResult, finding: Finding) -> str:
    pairs: list[tuple[str, object]] = []
    location = finding.location
    if location is not None:
        pairs.append(("file", result.path_from_cwd(location.path)))
        if location.line:
            pairs.append(("line", location.line))
        if location.column:
            pairs.append(("col", location.column))
        if location.end_line:
            pairs.append(("endLine", location.end_line))
        if location.end_column:
            pairs.append(("endColumn", location.end_column))
    pairs.append(("title", f"{finding.code} {finding.name}"))
    return ",".join(f"{key}={escape_property(str(value))}" for key, value in pairs)


def format_finding(result: LintResult, finding: Finding) -> str:
    """One finding as one workflow command; the hint follows on a second line."""
    message = finding.message
    if finding.resource is not None and finding.location is None:
        message = f"{finding.resource}: {message}"
    if finding.hint:
        message += f"\nhint: {finding.hint}"
    command = _COMMANDS[finding.severity]
    return f"::{command} {_properties(result, finding)}::{escape_data(message)}"


def render(result: LintResult) -> str:
    """Every active finding as an annotation, then the summary as plain text."""
    lines = [format_finding(result, finding) for finding in result.active]
    lines.append(f"komodo-guard: {result.summary()}")
    lines.extend(f"komodo-guard: note: {escape_data(note)}" for note in result.notes)
    return "\n".join(lines) + "\n"
