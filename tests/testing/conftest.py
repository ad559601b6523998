"""Fixtures for the Core emulator tests: the demo scenario and a running emulator."""

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
