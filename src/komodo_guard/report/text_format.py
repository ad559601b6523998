"""Human-readable text: ``path:line:col: severity CODE name: message``.

Colour is used only when asked for (the CLI decides from the terminal, ``NO_COLOR``
and ``TERM=dumb``).
"""

from __future__ import annotations

from komodo_guard.report.interface import LintResult
from komodo_guard.rules.interface import Finding, Location, Severity

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def format_finding(finding: Finding, *, colour: bool = False) -> str:
    """One finding as one line (plus an indented hint line when there is one)."""
    location = finding.location
    where = ""
    if location is not None:
        where = f"{_position(location)}: "
    elif finding.resource is not None:
        where = f"{finding.resource}: "
    severity = _paint(finding.severity.label, _COLOURS[finding.severity], colour)
    line = f"{where}{severity} {finding.code} {finding.name}: {finding.message}"
    if finding.hint:
        line += f"\n    hint: {finding.hint}"
    return line


def _position(location: Location) -> str:
    """``path:line:column``, without the parts it lacks (a whole file is
    ``path`` alone, a whole line ``path:line``)."""
    if not location.line:
        return location.path
    if not location.column:
        return f"{location.path}:{location.line}"
    return f"{location.path}:{location.line}:{location.column}"


def render(result: LintResult, *, colour: bool = False) -> str:
    """Every active finding, then a one-line summary."""
    lines = [format_finding(f, colour=colour) for f in result.active]
    if lines:
        lines.append("")
    lines.append(result.summary())
    lines.extend(f"note: {note}" for note in result.notes)
    return "\n".join(lines) + "\n"
