"""A Komodo Core emulator for tests and ``audit --demo``: see `emulator`."""

from komodo_guard.testing.emulator import CoreEmulator, Fault
from komodo_guard.testing.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["CoreEmulator", "Fault", "Scenario", "ScenarioError", "load_scenario"]
