"""A port published on every interface of the host.

``ports: ["8080:80"]`` (no host IP) binds ``0.0.0.0`` and ``::``: the service
is reachable from every network the host is on. Docker inserts its own
iptables rules ahead of UFW and firewalld, so a host firewall that "denies
everything" does not stop it. A service meant for a reverse proxy on the same
host, or for the host itself, should bind ``127.0.0.1:`` (or join the proxy's
network and use ``expose``).

Reported as info: publishing a port to the LAN is often the intent. Raise the
severity in ``komodo-guard.toml`` to make it a gate. Not reported: entries
with a host IP (an explicit ``0.0.0.0:`` counts as a decision), a host IP
written with a variable, ``expose``, and services on ``network_mode: host``
(where ``ports`` are ignored).

Equivalents: KICS "Container Traffic Not Bound To Host Interface"
(451d79dc-0588-476a-ad03-3c7f0320abb3); compose-lint CL-0005; dclint
``no-unbound-port-interfaces``; Polaris ``hostPortSet``.

Failing::

    services:
      grafana:
        image: grafana/grafana:11.4.0
        ports:
          - "3000:3000"

Passing::

    services:
      grafana:
        image: grafana/grafana:11.4.0
        ports:
          - "127.0.0.1:3000:3000"
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from komodo_guard.rules.compose.common import at, split_outside_braces
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
    """One finding per published port without a host IP."""
    for compose in workspace.compose_files:
        for name, service in compose.services():
            ports = service.get("ports")
            if service.get("network_mode") == "host" or not isinstance(ports, list):
                continue
            for index, entry in enumerate(ports):
                if not _unbound(entry):
                    continue
                yield rule.finding(
                    f"service `{name}` publishes `{_shown(entry)}` on every "
                    "interface of the host; Docker's iptables rules bypass UFW "
                    "and firewalld",
                    location=at(
                        compose, ("services", name, "ports", index), value=True
                    ),
                    hint='bind it to one address, e.g. "127.0.0.1:8080:80", when '
                    "only the host or a local reverse proxy needs it",
                )


def _unbound(entry: Any) -> bool:
    """True when a ``ports`` entry publishes without naming a host IP."""
    if isinstance(entry, int):
        return True
    if isinstance(entry, Mapping):
        return not entry.get("host_ip")
    if not isinstance(entry, str):
        return False
    text = split_outside_braces(entry.strip(), "/")[0]
    if text.startswith("["):
        return False
    return len(split_outside_braces(text, ":")) < 3


def _shown(entry: Any) -> str:
    if isinstance(entry, Mapping):
        return f"{entry.get('published', '?')}:{entry.get('target', '?')}"
    return str(entry)


RULE = RuleInfo(
    code="KG807",
    name="ports-all-interfaces",
    severity=Severity.INFO,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
