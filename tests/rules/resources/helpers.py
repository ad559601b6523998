"""Small helpers shared by the resource-rule tests."""

from __future__ import annotations

from komodo_guard.rules.interface import Finding


def line_of(finding: Finding) -> int:
    """The line a finding points at (every schema finding has a location)."""
    assert finding.location is not None
    return finding.location.line
