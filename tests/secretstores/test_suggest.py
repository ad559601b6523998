"""``secrets map --suggest``: a map proposed from the tree and the host."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.komodo.model import load
from komodo_guard.secrets.places.container import ContainerPlace
from komodo_guard.secrets.places.core_config import CoreConfigPlace
from komodo_guard.secrets.places.envfile import EnvFilePlace
from komodo_guard.secrets.places.komodo_variable import KomodoVariablePlace
from komodo_guard.secrets.places.mongodb import MongoUserPlace
from komodo_guard.secrets.places.postgres import PostgresUserPlace
from komodo_guard.secrets.places.sops import SopsPlace
from komodo_guard.secrets.secretmap import load_secret_map
from komodo_guard.secrets.suggest import render_suggestion, suggest_map
from komodo_guard.workspace.collect import collect
from tests.host.fakedocker import FakeContainer
from tests.secretstores.storekit import make_age_key, sops_encrypt, write_map

COMPOSE_ENV = """\
KOMODO_DATABASE_USERNAME=komodo
KOMODO_DATABASE_PASSWORD=env-db-secret
KOMODO_WEBHOOK_SECRET=env-hook-secret
KOMODO_HOST=https://komodo.example.net
"""
APP_ENV = "API_TOKEN=app-token-secret\nLOG_LEVEL=debug\nREF_PASSWORD=${FROM_SHELL}\n"
STACKS = """\
[[stack]]
name = "app"
[stack.config]
server = "Local"
environment = \"\"\"
API_TOKEN = [[APP_API_TOKEN]]
DOMAIN = [[DOMAIN]]
\"\"\"

[[variable]]
name = "APP_API_TOKEN"
is_secret = true

[[variable]]
name = "DOMAIN"
value = "example.net"
"""
MONGO_COMPOSE = "services:\n  mongo:\n    image: mongo:7\n"


def tree(tmp_path: Path, compose: str = MONGO_COMPOSE) -> Path:
    root = tmp_path / "tree"
    (root / "komodo").mkdir(parents=True)
    (root / "komodo" / "compose.env").write_text(COMPOSE_ENV)
    (root / "komodo" / "mongo.compose.yaml").write_text(compose)
    (root / "apps").mkdir()
    (root / "secrets").mkdir()
    (root / "apps" / ".env").write_text(APP_ENV)
    (root / "resources.toml").write_text(STACKS)
    key = make_age_key(tmp_path)
    plain = tmp_path / "plain.yaml"
    plain.write_text("KOMODO_DATABASE_PASSWORD: sops-db-secret\nnested:\n  key: x\n")
    sops_encrypt(plain, key, root / "secrets" / "komodo.sops.yaml")
    return root


def proposed(root: Path, containers: list[FakeContainer] = ()) -> str:  # type: ignore[assignment]
    from komodo_guard.host.docker import completed, from_list

    read = [completed(from_list(c.summary()), c.inspect(), b"k") for c in containers]
    return render_suggestion(suggest_map(root, collect(root, load(None)), read))


def test_suggested_map_is_a_valid_map(tmp_path: Path) -> None:
    root = tree(tmp_path)
    containers = [
        FakeContainer(
            "komodo-core-1",
            env=["KOMODO_DATABASE_PASSWORD=c", "KOMODO_WEBHOOK_SECRET=c"],
        ),
        FakeContainer("app-web-1", project="app", env=["API_TOKEN=t"]),
    ]
    text = proposed(root, containers)
    secret_map = load_secret_map(write_map(root, text, "suggested.toml"))
    places = {secret.name: secret.places for secret in secret_map.secrets}
    assert places["komodo-database-password"] == (
        SopsPlace("secrets/komodo.sops.yaml", ("KOMODO_DATABASE_PASSWORD",)),
        CoreConfigPlace("komodo/compose.env", "KOMODO_DATABASE_PASSWORD"),
        MongoUserPlace("127.0.0.1", 27017, "komodo"),
        ContainerPlace("komodo-core-1", "KOMODO_DATABASE_PASSWORD"),
    )
    assert places["nested-key"] == (
        SopsPlace("secrets/komodo.sops.yaml", ("nested", "key")),
    )
    assert places["komodo-webhook-secret"] == (
        CoreConfigPlace("komodo/compose.env", "KOMODO_WEBHOOK_SECRET"),
        ContainerPlace("komodo-core-1", "KOMODO_WEBHOOK_SECRET"),
    )
    assert places["api-token"] == (
        EnvFilePlace("apps/.env", "API_TOKEN"),
        ContainerPlace("app-web-1", "API_TOKEN"),
    )
    assert places["app-api-token"] == (
        KomodoVariablePlace("APP_API_TOKEN"),
        ContainerPlace("app-web-1", "API_TOKEN"),
    )
    assert set(places) == {
        "komodo-database-password",
        "nested-key",
        "komodo-webhook-secret",
        "api-token",
        "app-api-token",
    }


def test_no_value_is_printed(tmp_path: Path) -> None:
    text = proposed(tree(tmp_path))
    for secret in ("env-db-secret", "env-hook-secret", "app-token-secret", "sops-db"):
        assert secret not in text
    assert "# used as [[APP_API_TOKEN]] by stack app" in text
    assert text.startswith("# Proposed by `komodo-guard secrets map --suggest`")


def test_ferretdb_setups_get_a_postgres_place(tmp_path: Path) -> None:
    compose = "services:\n  ferretdb:\n    image: ghcr.io/ferretdb/ferretdb:2\n"
    root = tree(tmp_path, compose)
    secret_map = load_secret_map(write_map(root, proposed(root), "s.toml"))
    places = {secret.name: secret.places for secret in secret_map.secrets}
    assert (
        PostgresUserPlace("127.0.0.1", 5432, "komodo")
        in (places["komodo-database-password"])
    )


def test_an_empty_tree(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    assert "No secret found" in proposed(root)
