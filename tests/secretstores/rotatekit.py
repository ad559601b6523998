"""One secret kept in every kind of place rotate writes, served for real on
loopback: a SOPS file made by the real ``sops``, Core's config TOML, an env
file in a Stack's folder, a Komodo Variable on the Core emulator, a GitHub
Actions secret on a GitHub stand-in, and a container on a Docker Engine
stand-in (whose compose project names a Stack to redeploy)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from komodo_guard.secrets.places.interface import Context, Found
from komodo_guard.secrets.places.sops import SopsPlace
from komodo_guard.secrets.value import SecretValue
from komodo_guard.testing.emulator import CoreEmulator
from komodo_guard.testing.scenario import Scenario
from tests.host.fakedocker import FakeContainer
from tests.secretstores.storekit import (
    FakeGithub,
    NamedEngine,
    github_api,
    make_age_key,
    named_engine,
    sops_binary,
    sops_encrypt,
)

OLD = "old-token-0123456789"
SECRET_PATH = "/repos/acme/homelab/actions/secrets/API_TOKEN"
MAP = """\
[secrets]
github_api = "{github}"
sops = "{sops}"

[[secrets.secret]]
name = "api"
places = [
  {{kind = "env-file", file = "stacks/app/compose.env", key = "API_TOKEN"}},
  {{kind = "core-config", file = "core.config.toml", key = "secrets.API_TOKEN"}},
  {{kind = "sops", file = "secrets/app.sops.yaml", key = "api.token"}},
  {{kind = "komodo-variable", variable = "API_TOKEN"}},
  {{kind = "github-secret", repo = "acme/homelab", name = "API_TOKEN"}},
  {{kind = "container", container = "worker-1", variable = "API_TOKEN"}},
]
"""
CORE_CONFIG = """\
# Komodo Core
title = "homelab"

[secrets]
# used by stacks as [[API_TOKEN]]
API_TOKEN = "{value}"
OTHER = "keep-me"
"""
STACKS = [
    {"name": "app", "environment": "TOKEN=[[API_TOKEN]]\nMODE=prod"},
    {"name": "web", "environment": "MODE=prod"},
    {"name": "worker", "project_name": "workers"},
]


class RecreatingCore(CoreEmulator):
    """The emulator, with ``docker compose up`` modelled for Stack ``worker``:
    its deploy creates container ``worker-1`` again, its ``API_TOKEN`` taken
    from the Komodo Variable as Komodo would interpolate it."""

    container: FakeContainer | None = None

    def dispatch(self, group: str, call: str, params: Any) -> bytes:
        answer = super().dispatch(group, call, params)
        if call == "DeployStack" and params.get("stack") == "worker" and self.container:
            with self.state.lock:
                value = str(self.state.variables["API_TOKEN"]["value"])
            self.container.env = [f"API_TOKEN={value}", "X=1"]
        return answer


@dataclass
class EveryKind:
    """The folder, the map, the stand-ins and the environment a run needs."""

    folder: Path
    map_path: Path
    core: RecreatingCore
    github: FakeGithub
    engine: NamedEngine
    environ: dict[str, str]

    def values(self) -> dict[str, str]:
        """What each place holds now (the container is not a place rotate
        writes)."""
        context = Context(self.folder, self.environ)
        sops = SopsPlace("secrets/app.sops.yaml", ("api", "token"))
        found = sops.read(context)
        assert isinstance(found, Found)
        variable = self.core.state.variables["API_TOKEN"]
        return {
            "env-file": _env(self.folder / "stacks" / "app" / "compose.env"),
            "core-config": _toml(self.folder / "core.config.toml"),
            "sops": found.value.reveal(),
            "komodo-variable": str(variable["value"]),
            "github-secret": self.github.values[SECRET_PATH].reveal(),
        }

    def deployed(self) -> list[str]:
        """The Stacks Core deployed, in order."""
        return [
            update["target"]["id"]
            for update in self.core.state.updates
            if update["operation"] == "DeployStack"
        ]

    def stack_ids(self) -> dict[str, str]:
        return {
            stack["id"]: stack["name"] for stack in self.core.state.records["stacks"]
        }


def _env(path: Path) -> str:
    line = next(
        line for line in path.read_text().splitlines() if line.startswith("API_TOKEN=")
    )
    return line.partition("=")[2].strip("'")


def _toml(path: Path) -> str:
    import tomllib

    return str(tomllib.loads(path.read_text())["secrets"]["API_TOKEN"])


@contextmanager
def every_kind(folder: Path) -> Iterator[EveryKind]:
    """Every place holding ``OLD``; the stand-ins run while in the ``with``."""
    key = make_age_key(folder)
    (folder / "stacks" / "app").mkdir(parents=True)
    (folder / "stacks" / "app" / "compose.env").write_text(
        f"# app\nAPI_TOKEN={OLD}\nLOG=info\n"
    )
    (folder / "core.config.toml").write_text(CORE_CONFIG.format(value=OLD))
    (folder / "secrets").mkdir()
    plain = folder / "plain.yaml"
    plain.write_text(f"api:\n  token: {OLD}\n  region: eu\n")
    sops_encrypt(plain, key, folder / "secrets" / "app.sops.yaml")
    plain.unlink()
    scenario = Scenario(
        stacks=[dict(stack) for stack in STACKS],
        variables=[{"name": "API_TOKEN", "value": OLD, "is_secret": True}],
        deployments=[
            {"name": "cache", "environment": "TOKEN=[[API_TOKEN]]"},
            {"name": "plain", "environment": "A=1"},
        ],
        builds=[{"name": "image", "build_args": "TOKEN=[[API_TOKEN]]"}],
    )
    github = FakeGithub(secrets={SECRET_PATH: "2026-01-01T00:00:00Z"})
    github.values[SECRET_PATH] = SecretValue(OLD)
    container = FakeContainer(
        "worker-1", project="workers", env=[f"API_TOKEN={OLD}", "X=1"]
    )
    with ExitStack() as stack:
        core = stack.enter_context(RecreatingCore(scenario, update_seconds=0.05))
        core.container = container
        stack.enter_context(github_api(github))
        engine = stack.enter_context(named_engine([container]))
        map_path = folder / "komodo-guard.toml"
        map_path.write_text(MAP.format(github=github.url, sops=sops_binary()))
        environ = {
            "PATH": os.environ.get("PATH", "")
            + os.pathsep
            + str(Path(sys.executable).parent),
            "HOME": os.environ.get("HOME", ""),
            "SOPS_AGE_KEY_FILE": str(key.path),
            "SOPS_DISABLE_VERSION_CHECK": "1",
            "GITHUB_TOKEN": github.token,
            "KOMODO_API_KEY": core.api_key,
            "KOMODO_API_SECRET": core.api_secret,
            "DOCKER_HOST": f"unix://{engine.socket}",
        }
        yield EveryKind(folder, map_path, core, github, engine, environ)
