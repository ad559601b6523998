"""A server's Periphery runs a different Komodo release than Core.

Core and Periphery talk through a private API that changes between
releases (FACTS §10.2 L12). A different major or minor release is an error:
calls fail or behave differently (2.0 changed how they connect). A different
patch release is a warning: usually compatible, but fixes land on one side
only. Unreachable servers report no version and are left to
``server-unreachable``.

Failing: Core ``2.3.2``, server ``porch`` on Periphery ``2.1.0``.

Passing: every reachable server on ``2.3.2``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import about, located

_RELEASE = re.compile(r"v?(\d+)\.(\d+)(?:\.(\d+))?")


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per reachable server whose release differs from Core's."""
    snapshot = facts.snapshot
    core = _release(snapshot.version)
    if core is None or snapshot.names("server") is None:
        return
    for server in snapshot.servers:
        periphery = _release(server.version)
        if server.state != "Ok" or periphery is None or periphery == core:
            continue
        minor = periphery[:2] != core[:2]
        yield rule.finding(
            f"server {server.name!r} runs Periphery {server.version.strip()} "
            f"while Core runs {snapshot.version.strip()}"
            + ("; they may not understand each other" if minor else ""),
            resource=about("server", server.name),
            location=located(facts, "server", server.name),
            hint="upgrade Periphery on that host to Core's release (or Core to "
            "Periphery's), then check the server is Ok",
            severity=Severity.ERROR if minor else Severity.WARNING,
        )


def _release(text: str) -> tuple[int, int, int] | None:
    match = _RELEASE.fullmatch(text.strip())
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


RULE = LiveRuleInfo(
    code="KG1014",
    name="version-skew",
    severity=Severity.ERROR,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
