"""A host of the operator's inventory is not a Komodo Server in Core.

Given an inventory (a plain list, an Ansible inventory or SSH config host
names), every host that no Server in Core stands for is reported: whatever
runs there is deployed by hand or by other tools, outside GitOps, and no
Komodo alert or sync sees it.

A host matches a Server by name, case-insensitively, also by the short name
before the first dot (``hearth.home.lan`` is the Server ``hearth``; IP
addresses are never shortened). Core's server list carries no address in the
snapshot, so the inventory's address (``ansible_host``, ``HostName``) and a
host named by its address are compared with Server names and, when the tree
is given, with the host part of the ``address`` its ``[[server]]`` declares.

Servers that are ``Disabled`` or ``NotOk`` are left to ``server-unreachable``
(KG1013), which reports both. Nothing is reported when the inventory is empty
or Core's server list could not be read (that call has its own finding).

Options: the inventory file, ``inventory`` in the ``[hosts]`` table of
``komodo-guard.toml`` (relative to that file), or ``--inventory FILE`` for
one run; its kind (list, Ansible INI or YAML, SSH config) is told by its
suffix or its content, or by ``inventory_kind`` (``--inventory-kind``).

Failing: the inventory lists ``attic.home.lan`` and Core has only the Server
``hearth``.

Passing: the inventory lists ``hearth.home.lan`` and ``10.0.4.12``, and Core
has the Servers ``hearth`` and ``nas`` (declared with
``address = "https://10.0.4.12:8120"``).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from komodo_guard.host.inventory import InventoryHost, is_ip_address
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    Location,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import declaration


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per inventory host that no Server in Core stands for."""
    hosts = _inventory(options)
    if not hosts or facts.snapshot.names("server") is None:
        return
    servers = _server_names(facts) | _server_addresses(facts)
    for host in hosts:
        if servers.isdisjoint(_keys(host.name) | _addresses(host)):
            yield _unmanaged(rule, host)


def _inventory(options: RuleOptions) -> tuple[InventoryHost, ...]:
    """The inventory hosts in ``options.extra["inventory"]``, else none."""
    given = options.extra.get("inventory", ())
    if not isinstance(given, tuple | list):
        return ()
    return tuple(host for host in given if isinstance(host, InventoryHost))


def _unmanaged(rule: LiveRuleInfo, host: InventoryHost) -> Finding:
    address = f" ({host.address})" if host.address else ""
    return rule.finding(
        f"inventory host {host.name!r}{address} is not a Komodo Server in Core; "
        "what runs there is outside GitOps",
        location=Location(host.path, host.source_line, 1) if host.path else None,
        hint="declare it as a [[server]] table in the sync's TOML with its "
        "Periphery address, or remove it from the inventory if Komodo should "
        "not manage it",
    )


def _server_names(facts: LiveFacts) -> frozenset[str]:
    return frozenset(
        key for server in facts.snapshot.servers for key in _keys(server.name)
    )


def _server_addresses(facts: LiveFacts) -> frozenset[str]:
    found: set[str] = set()
    for server in facts.snapshot.servers:
        resource = declaration(facts, "server", server.name)
        address = resource.config.get("address") if resource is not None else None
        if isinstance(address, str) and address.strip():
            found.add(_host_part(address))
    return frozenset(found - {""})


def _addresses(host: InventoryHost) -> frozenset[str]:
    return frozenset(part.lower() for part in (host.name, host.address) if part.strip())


def _keys(name: str) -> frozenset[str]:
    """The lowercase name and, unless it is an IP address, its short name."""
    lowered = name.strip().lower()
    if is_ip_address(lowered):
        return frozenset({lowered})
    return frozenset({lowered, lowered.split(".", 1)[0]})


def _host_part(address: str) -> str:
    """``10.0.4.12`` of ``https://10.0.4.12:8120``; a bare ``host:port`` too."""
    text = address.strip()
    split = urlsplit(text if "://" in text else f"//{text}")
    return (split.hostname or "").lower()


RULE = LiveRuleInfo(
    code="KG1021",
    name="host-not-a-server",
    severity=Severity.WARNING,
    failure_class=FailureClass.UNMANAGED,
    doc=__doc__ or "",
    checker=check,
)
