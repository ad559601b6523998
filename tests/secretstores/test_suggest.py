"""``secrets map --suggest``: a map proposed from the tree and the host."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from komodo_guard.cli.secrets import secrets_suggest
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


def places_of(
    root: Path, text: str, name: str = "s.toml"
) -> dict[str, tuple[object, ...]]:
    secret_map = load_secret_map(write_map(root, text, name))
    return {secret.name: secret.places for secret in secret_map.secrets}


def test_the_database_address_setting_gives_host_and_port(tmp_path: Path) -> None:
    root = tree(tmp_path)
    env = root / "komodo" / "compose.env"
    env.write_text(env.read_text() + "KOMODO_DATABASE_ADDRESS=db.lan:27018\n")
    text = proposed(root)
    assert (
        MongoUserPlace("db.lan", 27018, "komodo")
        in (places_of(root, text)["komodo-database-password"])
    )
    assert (
        "# from KOMODO_DATABASE_ADDRESS in komodo/compose.env, "
        "KOMODO_DATABASE_USERNAME in komodo/compose.env: check it is" in text
    )


def test_the_database_uri_wins_and_its_password_is_not_printed(tmp_path: Path) -> None:
    root = tree(tmp_path)
    env = root / "komodo" / "compose.env"
    env.write_text(
        env.read_text()
        + "KOMODO_DATABASE_ADDRESS=ignored:1\n"
        + "KOMODO_MONGO_URI=mongodb://core:uri-pass-9d2@mdb:27019/?authSource=komodo&tls=true\n"
    )
    text = proposed(root)
    assert "uri-pass-9d2" not in text
    assert (
        MongoUserPlace("mdb", 27019, "core", "komodo", tls=True)
        in (places_of(root, text)["komodo-database-password"])
    )
    assert "# from KOMODO_MONGO_URI in komodo/compose.env: check it is" in text


def test_compose_environment_sets_the_address(tmp_path: Path) -> None:
    compose = (
        "services:\n  mongo:\n    image: mongo:7\n  core:\n    environment:\n"
        "      KOMODO_DATABASE_ADDRESS: mongo:27017\n"
        "      KOMODO_DATABASE_USERNAME: ${KOMODO_DB_USERNAME}\n"
    )
    root = tree(tmp_path, compose)
    env = root / "komodo" / "compose.env"
    env.write_text(
        env.read_text().replace("KOMODO_DATABASE_USERNAME", "KOMODO_DB_USERNAME")
    )
    assert (
        MongoUserPlace("mongo", 27017, "komodo")
        in (places_of(root, proposed(root))["komodo-database-password"])
    )


def test_compose_environment_as_a_list_and_a_default(tmp_path: Path) -> None:
    compose = (
        "services:\n  core:\n    image: komodo-core\n    environment:\n"
        "      - KOMODO_DATABASE_ADDRESS=${DB_ADDRESS:-db.lan:1234}\n"
        "      - KOMODO_DATABASE_USERNAME=${UNSET}\n"
    )
    root = tree(tmp_path, compose)
    assert (
        MongoUserPlace("db.lan", 1234, "komodo")
        in (places_of(root, proposed(root))["komodo-database-password"])
    )


def test_ferretdb_takes_the_user_not_the_address(tmp_path: Path) -> None:
    compose = "services:\n  ferretdb:\n    image: ghcr.io/ferretdb/ferretdb:2\n"
    root = tree(tmp_path, compose)
    env = root / "komodo" / "compose.env"
    env.write_text(env.read_text() + "KOMODO_DATABASE_ADDRESS=ferretdb:27017\n")
    text = proposed(root)
    assert (
        PostgresUserPlace("127.0.0.1", 5432, "komodo")
        in (places_of(root, text)["komodo-database-password"])
    )
    assert "# from KOMODO_DATABASE_USERNAME in komodo/compose.env: check" in text


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    root = tree(tmp_path)
    env = root / "komodo" / "compose.env"
    env.write_text(env.read_text().replace("KOMODO_DATABASE_USERNAME=komodo\n", ""))
    text = proposed(root)
    assert (
        MongoUserPlace("127.0.0.1", 27017, "admin")
        in (places_of(root, text)["komodo-database-password"])
    )
    assert "# defaults: check it is the database's address" in text


def test_paths_start_at_the_folder_of_the_map(tmp_path: Path) -> None:
    root = tree(tmp_path)
    folder = root / "ops" / "guard"
    folder.mkdir(parents=True)
    secrets = suggest_map(root, collect(root, load(None)), folder=folder)
    text = render_suggestion(secrets, folder / "map.toml")
    assert 'file = "../../secrets/komodo.sops.yaml"' in text
    assert 'file = "../../apps/.env"' in text
    places = places_of(folder, text, "map.toml")
    for place in places["api-token"] + places["komodo-database-password"]:
        if isinstance(place, SopsPlace | EnvFilePlace | CoreConfigPlace):
            assert (folder / place.file).is_file()


def test_paths_are_absolute_for_a_map_outside_the_tree(tmp_path: Path) -> None:
    root = tree(tmp_path)
    outside = tmp_path / "elsewhere"
    secrets = suggest_map(root, collect(root, load(None)), folder=outside)
    text = render_suggestion(secrets)
    expected = (root / "apps" / ".env").resolve()
    assert f"file = {json.dumps(str(expected))}" in text


def test_the_command_says_where_paths_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree(tmp_path)
    assert secrets_suggest(root) == 0
    out = capsys.readouterr().out
    holder = json.dumps(str(root / "komodo-guard.toml"))
    assert f"# Relative file paths start at the folder of {holder}" in out
    assert 'file = "apps/.env"' in out

    (root / "ops").mkdir()
    output = root / "ops" / "map.toml"
    assert secrets_suggest(root, output=output) == 0
    written = output.read_text()
    assert f"folder of {json.dumps(str(output))}" in written
    assert 'file = "../apps/.env"' in written
    places = places_of(root / "ops", written, "map.toml")
    assert EnvFilePlace("../apps/.env", "API_TOKEN") in places["api-token"]


def test_an_existing_output_file_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tree(tmp_path)
    config = root / "komodo-guard.toml"
    config.write_text('[rules]\ndisable = ["KG102"]\n')
    link = root / "map-link.toml"
    link.symlink_to(config)
    for output in (config, link):
        argv = ["secrets", "map", "--suggest", str(root), "-o", str(output)]
        assert main(argv) == 2
        assert capsys.readouterr() == (
            "",
            f"komodo-guard: error: {output} exists and `secrets map --suggest` "
            "does not replace a file: print the map to standard output (leave "
            "out -o) and paste its [secrets] tables, or choose a new file\n",
        )
    assert config.read_text() == '[rules]\ndisable = ["KG102"]\n'
    assert link.is_symlink()

    fresh = root / "proposed.toml"
    assert main(["secrets", "map", "--suggest", str(root), "-o", str(fresh)]) == 0
    assert "[[secrets.secret]]" in fresh.read_text()


def test_a_srv_uri_proposes_tls(tmp_path: Path) -> None:
    root = tree(tmp_path)
    env = root / "komodo" / "compose.env"
    env.write_text(
        env.read_text()
        + "KOMODO_DATABASE_URI=mongodb+srv://core:srv-pass-4f1@cluster.example.net/"
        + "?authSource=komodo&appName=core@lab\n"
    )
    text = proposed(root)
    assert "srv-pass-4f1" not in text
    assert "tls = true" in text
    place = MongoUserPlace("cluster.example.net", 27017, "core", "komodo", tls=True)
    assert place in places_of(root, text)["komodo-database-password"]
