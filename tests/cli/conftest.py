"""Fixtures for the live commands: Core emulators on loopback and credentials."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from importlib import resources

import pytest
import stamina

from komodo_guard.testing import CoreEmulator, Scenario, load_scenario

KEY = "kg-test-key-4Fq9Zt2Lm8"
SECRET = "kg-test-secret-Rv7Np3Xc1Wd6"
VARIABLE_VALUE = "kg-variable-value-Hy5Tb0Qe"
ALERTER_TOKEN = "kg-alerter-token-Jm2Vs8Ku"
WEBHOOK_SECRET = "kg-webhook-secret-Pw4Gz7Lo"
SECRETS = (KEY, SECRET, VARIABLE_VALUE, ALERTER_TOKEN, WEBHOOK_SECRET)


def demo_scenario() -> Scenario:
    """The bundled demo, with secret values nobody could guess from the output."""
    source = resources.files("komodo_guard.testing").joinpath("scenarios", "demo.toml")
    with resources.as_file(source) as path:
        scenario = copy.deepcopy(load_scenario(path))
    scenario.webhook_secret = WEBHOOK_SECRET
    for variable in scenario.variables:
        if variable.get("is_secret"):
            variable["value"] = VARIABLE_VALUE
    for alerter in scenario.alerters:
        alerter["endpoint"]["params"]["url"] = f"https://alerts.test/{ALERTER_TOKEN}"
    return scenario


def clean_scenario() -> Scenario:
    """A Core with nothing to report."""
    return Scenario(
        servers=[{"name": "hearth", "address": "https://h:8120", "enabled": True}],
        stacks=[
            {
                "name": "web",
                "server": "hearth",
                "services": ["web"],
                "deployed_hash": "a1",
                "latest_hash": "a1",
            }
        ],
        syncs=[{"name": "infra", "last_sync_ago": "1h", "last_sync_hash": "a1"}],
        alerters=[
            {
                "name": "ntfy",
                "enabled": True,
                "endpoint": {"type": "Ntfy", "params": {"url": "https://n.test/x"}},
            }
        ],
        updates=[
            {
                "operation": "BackupCoreDatabase",
                "target": {"type": "System", "id": ""},
                "ago": "1d",
            }
        ],
    )


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMODO_API_KEY", KEY)
    monkeypatch.setenv("KOMODO_API_SECRET", SECRET)
    monkeypatch.delenv("KOMODO_URL", raising=False)


@pytest.fixture
def demo_core(credentials: None) -> Iterator[CoreEmulator]:
    with CoreEmulator(demo_scenario(), api_key=KEY, api_secret=SECRET) as core:
        yield core


@pytest.fixture
def clean_core(credentials: None) -> Iterator[CoreEmulator]:
    with CoreEmulator(clean_scenario(), api_key=KEY, api_secret=SECRET) as core:
        yield core


@pytest.fixture
def quick_retries() -> Iterator[None]:
    """Reads are still retried (twice in all), without the backoff's sleeps."""
    with stamina.set_testing(True, attempts=2):
        yield
