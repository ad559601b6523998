"""A service others wait on to be healthy that defines no healthcheck.

``depends_on: {db: {condition: service_healthy}}`` makes compose wait until
``db`` reports healthy. If ``db`` has no ``healthcheck`` in the compose file
and its image defines none either, compose fails the deploy at once
(``container db has no healthcheck configured``); with ``healthcheck:
{disable: true}`` it can never become healthy. Whether the image brings a
``HEALTHCHECK`` cannot be known from the repository, so define the check in
the compose file where the dependency is declared.

Only services defined in the same file are judged (one defined in another
compose file of the Stack, or through ``extends``, is left alone).

Equivalents: KICS "Healthcheck Not Set" (698ed579-b239-4f8f-a388-baa4bcb13ef8,
which asks it of every service); kube-linter ``no-liveness-probe`` /
``no-readiness-probe``; checkov CKV_DOCKER_2; Polaris
``livenessProbeMissing``.

Failing::

    services:
      app:
        image: ghcr.io/example/app:2
        depends_on:
          db: {condition: service_healthy}
      db:
        image: postgres:16

Passing::

    services:
      app:
        image: ghcr.io/example/app:2
        depends_on:
          db: {condition: service_healthy}
      db:
        image: postgres:16
        healthcheck:
          test: ["CMD-SHELL", "pg_isready -U postgres"]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from komodo_guard.rules.compose.common import at
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per awaited service without a usable healthcheck."""
    for compose in workspace.compose_files:
        services = dict(compose.services())
        waiting = _waiters(services)
        for target, dependents in waiting.items():
            service = services.get(target)
            if service is None or _has_healthcheck(service):
                continue
            names = ", ".join(f"`{d}`" for d in dependents)
            state = (
                "disables its healthcheck"
                if isinstance(service.get("healthcheck"), Mapping)
                else "defines no healthcheck"
            )
            verb = "waits" if len(dependents) == 1 else "wait"
            yield rule.finding(
                f"service `{target}` {state}, but {names} {verb} for it with "
                "`condition: service_healthy`",
                location=at(compose, ("services", target)),
                hint=(
                    "add a `healthcheck:` (test, interval, retries) to "
                    f"`{target}`: whether its image defines a HEALTHCHECK cannot "
                    "be known from the repository, and without one compose "
                    "fails the deploy"
                ),
            )


def _waiters(services: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    waiting: dict[str, list[str]] = {}
    for name, service in services.items():
        depends = service.get("depends_on")
        if not isinstance(depends, Mapping):
            continue
        for target, spec in depends.items():
            if isinstance(spec, Mapping) and spec.get("condition") == "service_healthy":
                waiting.setdefault(str(target), []).append(name)
    return waiting


def _has_healthcheck(service: Mapping[str, Any]) -> bool:
    healthcheck = service.get("healthcheck")
    if not isinstance(healthcheck, Mapping):
        return False
    disabled = healthcheck.get("disable") is True or healthcheck.get("test") == ["NONE"]
    return not disabled


RULE = RuleInfo(
    code="KG809",
    name="healthcheck-missing",
    severity=Severity.WARNING,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
