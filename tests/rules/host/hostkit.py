"""Build host facts by hand and run one host rule over them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from komodo_guard.host.model import Checkout, Container, HostState, PeripheryDirs
from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.rules.engine import RuleSettings
from komodo_guard.rules.host.run import run_host_rules
from komodo_guard.rules.interface import (
    Finding,
    HostFacts,
    HostRuleInfo,
    RuleOptions,
)
from komodo_guard.workspace.model import Workspace

ROOT = "/etc/komodo"
DIRS = PeripheryDirs(ROOT, f"{ROOT}/stacks", f"{ROOT}/repos", f"{ROOT}/builds")
HEAD = "3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a"


def checkout(name: str = "app", kind: str = "stack", **fields: Any) -> Checkout:
    """A clean checkout of ``name`` on ``main``, fetched, level with origin."""
    values: dict[str, Any] = {
        "path": f"{ROOT}/{kind}s/{name}",
        "kind": kind,
        "name": name,
        "branch": "main",
        "head": HEAD,
        "upstream": "origin/main",
        "fetched": True,
    }
    return Checkout(**(values | fields))


def container(name: str, **fields: Any) -> Container:
    """A running container ``name`` with no labels or mounts."""
    values: dict[str, Any] = {
        "id": (name.encode().hex() * 12)[:64],
        "name": name,
        "image": "nginx:1.27",
        "state": "running",
    }
    return Container(**(values | fields))


def host(
    checkouts: Iterable[Checkout] | None = None,
    containers: Iterable[Container] | None = None,
    **fields: Any,
) -> HostState:
    """A host named ``hearth`` with Periphery's default folders."""
    values: dict[str, Any] = {
        "hostname": "hearth",
        "dirs": DIRS,
        "checkouts": None if checkouts is None else tuple(checkouts),
        "containers": None if containers is None else tuple(containers),
        "docker_socket": "/var/run/docker.sock",
    }
    return HostState(**(values | fields))


def run(
    rule: HostRuleInfo,
    state: HostState,
    *,
    snapshot: LiveSnapshot | None = None,
    workspace: Workspace | None = None,
    disabled: Iterable[str] = (),
    options: RuleOptions | None = None,
) -> list[Finding]:
    """Run one host rule (and the incomplete findings of ``state``)."""
    facts = HostFacts(state, snapshot, workspace)
    settings = RuleSettings(disabled=frozenset(disabled))
    return run_host_rules(facts, [rule], options or RuleOptions(), settings)


def codes(found: Iterable[Finding]) -> list[tuple[str, str, str]]:
    """(location path, code, severity) of each finding, in report order."""
    return [
        (f.location.path if f.location else "", f.code, f.severity.label) for f in found
    ]
