"""A service that runs with host-level privileges.

Each of these settings removes a layer between a container and the host:

* ``privileged: true`` (warning): every capability, every device, no seccomp
  or AppArmor; a breakout is trivial.
* ``cap_add`` ``ALL`` (warning), ``SYS_ADMIN``, ``SYS_MODULE``, ``SYS_PTRACE``,
  ``DAC_READ_SEARCH`` (warning), ``NET_ADMIN`` (info: VPN and router
  containers need it).
* ``pid: host`` (warning): the container sees and can signal every host
  process.
* ``network_mode: host`` and ``ipc: host`` (info): no network or IPC
  isolation; common and often deliberate, so only noted.
* ``security_opt`` set without ``no-new-privileges:true`` (info): the list
  is being curated, so the usual hardening flag is worth adding.

Equivalents: KICS "Privileged Containers Enabled"
(ae5b6871-7f45-42e0-bb4c-ab300c4d2026), "Shared Host Network Namespace"
(071a71ff-…), "Shared Host IPC Namespace" (baa3890f-…), "Host Namespace is
Shared" (4f31dd9f-…), "Container Capabilities Unrestricted" (ce76b7d0-…), "No
New Privileges Not Set" (27fcc7d6-…); compose-lint CL-0002, CL-0008, CL-0010,
CL-0011/24/27-30, CL-0003; kube-linter ``privileged-container``,
``host-network``, ``host-pid``, ``host-ipc``,
``privilege-escalation-container``.

Failing::

    services:
      agent:
        image: ghcr.io/example/agent:3
        privileged: true
        pid: host

Passing::

    services:
      agent:
        image: ghcr.io/example/agent:3
        cap_add: [NET_BIND_SERVICE]
        security_opt: ["no-new-privileges:true"]
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
from komodo_guard.workspace.compose import ComposeFile
from komodo_guard.workspace.model import Workspace

CAPABILITIES = {
    "ALL": Severity.WARNING,
    "SYS_ADMIN": Severity.WARNING,
    "SYS_MODULE": Severity.WARNING,
    "SYS_PTRACE": Severity.WARNING,
    "DAC_READ_SEARCH": Severity.WARNING,
    "NET_ADMIN": Severity.INFO,
}
NAMESPACES = {
    "network_mode": Severity.INFO,
    "pid": Severity.WARNING,
    "ipc": Severity.INFO,
}
_NAMESPACE_WORDS = {"network_mode": "network", "pid": "process", "ipc": "IPC"}


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per privilege a service asks for."""
    for compose in workspace.compose_files:
        for name, service in compose.services():
            yield from _privileged(rule, compose, name, service)
            yield from _namespaces(rule, compose, name, service)
            yield from _capabilities(rule, compose, name, service)
            yield from _security_opt(rule, compose, name, service)


def _privileged(
    rule: RuleInfo, compose: ComposeFile, name: str, service: Mapping[str, Any]
) -> Iterator[Finding]:
    if service.get("privileged") in (True, "true"):
        yield rule.finding(
            f"service `{name}` runs privileged: every capability and device of "
            "the host, no seccomp or AppArmor",
            location=at(compose, ("services", name, "privileged")),
            hint="drop `privileged` and add only the capabilities or devices "
            "it needs (`cap_add`, `devices`)",
        )


def _namespaces(
    rule: RuleInfo, compose: ComposeFile, name: str, service: Mapping[str, Any]
) -> Iterator[Finding]:
    for key, severity in NAMESPACES.items():
        if service.get(key) == "host":
            yield rule.finding(
                f"service `{name}` shares the host's {_NAMESPACE_WORDS[key]} "
                f"namespace (`{key}: host`)",
                location=at(compose, ("services", name, key)),
                severity=severity,
                hint="remove it unless the service really needs the host's "
                f"{_NAMESPACE_WORDS[key]} namespace",
            )


def _capabilities(
    rule: RuleInfo, compose: ComposeFile, name: str, service: Mapping[str, Any]
) -> Iterator[Finding]:
    added = service.get("cap_add")
    if not isinstance(added, list):
        return
    for index, capability in enumerate(added):
        word = str(capability).upper().removeprefix("CAP_")
        severity = CAPABILITIES.get(word)
        if severity is None:
            continue
        yield rule.finding(
            f"service `{name}` adds the capability `{word}`",
            location=at(compose, ("services", name, "cap_add", index), value=True),
            severity=severity,
            hint="add only the narrow capabilities the service needs, and "
            "`cap_drop: [ALL]` first",
        )


def _security_opt(
    rule: RuleInfo, compose: ComposeFile, name: str, service: Mapping[str, Any]
) -> Iterator[Finding]:
    options = service.get("security_opt")
    if not isinstance(options, list) or not options:
        return
    normal = {str(option).replace("=", ":").replace(" ", "") for option in options}
    if normal & {"no-new-privileges:true", "no-new-privileges"}:
        return
    yield rule.finding(
        f"service `{name}` sets `security_opt` without `no-new-privileges:true`",
        location=at(compose, ("services", name, "security_opt")),
        severity=Severity.INFO,
        hint='add "no-new-privileges:true" so setuid binaries cannot gain privileges',
    )


RULE = RuleInfo(
    code="KG805",
    name="privileged-container",
    severity=Severity.WARNING,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
