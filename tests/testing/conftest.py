"""Fixtures for the Core emulator tests: the demo scenario, the demo with every
kind of resource, and running emulators of both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from komodo_guard.testing import CoreEmulator, Scenario, load_scenario

DEMO = (
    Path(__file__).resolve().parents[2] / "src/komodo_guard/testing/scenarios/demo.toml"
)


@pytest.fixture
def demo() -> Scenario:
    return load_scenario(DEMO)


@pytest.fixture
def core(demo: Scenario) -> Iterator[CoreEmulator]:
    with CoreEmulator(demo, update_seconds=0.2) as emulator:
        yield emulator


def with_every_kind(scenario: Scenario) -> Scenario:
    """`scenario` plus builds, repos, builders, swarms, Core secrets and stacks
    whose git contents differ from what was deployed."""
    scenario.builders += [
        {"name": "local", "type": "Server", "params": {"server_id": "hearth"}},
        {"name": "url-builder", "config": {"type": "Url", "params": {}}},
    ]
    scenario.builds += [
        {
            "name": "mealie-image",
            "builder": "local",
            "repo": "example-org/mealie",
            "version": "1.4.2",
            "built_hash": "9c1d2e3",
        },
        {"name": "failing-image", "state": "Failed"},
    ]
    scenario.repos += [
        {
            "name": "homelab-repo",
            "server": "hearth",
            "repo": "example-org/homelab",
            "cloned_hash": "4f2a9c1",
        }
    ]
    scenario.swarms += [{"name": "lab-swarm", "servers": ["hearth", "attic"]}]
    scenario.secrets += ["GITHUB_TOKEN", "REGISTRY_PASSWORD"]
    for stack in scenario.stacks:
        if stack["name"] == "jellyfin":
            stack["changed_files"] = ["compose.yaml"]
        if stack["name"] == "pihole":
            stack["remote_errors"] = ["compose.override.yaml"]
            stack["state"] = "unhealthy"
        if stack["name"] == "uptime-kuma":
            stack["execute_error"] = "user does not have Execute permission"
    return scenario


@pytest.fixture
def full(demo: Scenario) -> Iterator[CoreEmulator]:
    with CoreEmulator(with_every_kind(demo), update_seconds=0.2) as emulator:
        yield emulator
