"""A container in a restart loop: restarting now, or restarted many times.

A container whose process keeps exiting is restarted by its restart policy
again and again; Komodo shows the stack as running or restarting between
crashes, and nothing alerts unless a human looks. Reported as an error while
Docker says the container is restarting, and as a warning once its restart
count reaches the limit.

Options: ``host_restart_limit`` in ``RuleOptions.extra`` (default 5), the
restart count from which a container is reported.

Failing: ``State.Restarting = true``, or ``RestartCount = 12``.

Passing: ``RestartCount = 0`` and running.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.host.common import number_option
from komodo_guard.rules.host.ownership import owner_of
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    HostFacts,
    HostRuleInfo,
    RuleOptions,
    Severity,
)

DEFAULT_LIMIT = 5
OPTION = "host_restart_limit"


def check(
    rule: HostRuleInfo, facts: HostFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per container restarting now or restarted too often."""
    limit = number_option(options, OPTION, DEFAULT_LIMIT)
    for container in facts.host.containers or ():
        if not container.restarting and container.restart_count < limit:
            continue
        now = "is restarting now" if container.restarting else "keeps restarting"
        yield rule.finding(
            f"container `{container.name}` ({container.image}) {now}: Docker has "
            f"restarted it {container.restart_count} times",
            resource=owner_of(facts, container),
            severity=Severity.ERROR if container.restarting else None,
            hint=f"read why it exits with `docker logs {container.name}`, fix "
            "the cause, and redeploy",
        )


RULE = HostRuleInfo(
    code="KG1214",
    name="container-restart-loop",
    severity=Severity.WARNING,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
