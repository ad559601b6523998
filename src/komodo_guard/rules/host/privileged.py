"""A privileged container: every device and capability of the host.

``privileged: true`` (``docker run --privileged``) switches off the
container's isolation: all capabilities, all devices, no seccomp or AppArmor
profile. A flaw in the service becomes a flaw in the host. Most services
that ask for it need one device or capability instead.

Failing: a container started with ``privileged: true``.

Passing: ``devices: ["/dev/ttyUSB0"]`` or ``cap_add: [NET_ADMIN]`` for what
the service really needs.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.host.ownership import owner_of
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    HostFacts,
    HostRuleInfo,
    RuleOptions,
    Severity,
)


def check(
    rule: HostRuleInfo, facts: HostFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per privileged container."""
    for container in facts.host.containers or ():
        if container.privileged:
            yield rule.finding(
                f"container `{container.name}` ({container.image}) runs privileged: "
                "it has every device and capability of the host",
                resource=owner_of(facts, container),
                hint="drop `privileged: true` and grant only the devices "
                "(`devices:`) or capabilities (`cap_add:`) it needs",
            )


RULE = HostRuleInfo(
    code="KG1213",
    name="running-privileged",
    severity=Severity.WARNING,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
