"""The secret map in komodo-guard.toml: every place kind, and errors with positions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from komodo_guard.secrets.places import PLACE_TYPES
from komodo_guard.secrets.places.container import ContainerPlace
from komodo_guard.secrets.places.core_config import CoreConfigPlace
from komodo_guard.secrets.places.envfile import EnvFilePlace
from komodo_guard.secrets.places.github import GithubSecretPlace
from komodo_guard.secrets.places.interface import MapError
from komodo_guard.secrets.places.komodo_variable import KomodoVariablePlace
from komodo_guard.secrets.places.mongodb import MongoUserPlace
from komodo_guard.secrets.places.postgres import PostgresUserPlace
from komodo_guard.secrets.places.sops import SopsPlace
from komodo_guard.secrets.secretmap import load_secret_map
from tests.secretstores.storekit import write_map

EVERY_KIND = """\
fail_on = "warning"

[secrets]
github_api = "http://127.0.0.1:9/"

[[secrets.secret]]
name = "komodo-database-password"
description = "Core's login to its database"

[[secrets.secret.places]]
kind = "sops"
file = "secrets/komodo.sops.yaml"
key = "database.password"
source = true

[[secrets.secret.places]]
kind = "env-file"
file = "/etc/komodo/compose.env"
key = "KOMODO_DATABASE_PASSWORD"

[[secrets.secret.places]]
kind = "container"
container = "komodo-core-1"
variable = "KOMODO_DATABASE_PASSWORD"

[[secrets.secret.places]]
kind = "komodo-variable"
variable = "DB_PASSWORD"

[[secrets.secret.places]]
kind = "mongodb-user"
host = "127.0.0.1"
user = "admin"

[[secrets.secret.places]]
kind = "postgres-user"
host = "127.0.0.1"
port = 5433
user = "postgres"
sslmode = "disable"

[[secrets.secret.places]]
kind = "github-secret"
repo = "acme/homelab"
name = "KOMODO_DB_PASSWORD"

[[secrets.secret.places]]
kind = "core-config"
file = "core.config.toml"
key = "database.password"

[[secrets.secret]]
name = "webhook"
places = [
  { kind = "sops", file = "s.json", key = ["webhook", 0] },
  { kind = "github-secret", org = "acme", name = "WEBHOOK", token_env = "GH" },
]
"""


def test_every_kind_is_read(tmp_path: Path) -> None:
    secret_map = load_secret_map(write_map(tmp_path, EVERY_KIND))
    assert secret_map.github_api == "http://127.0.0.1:9"
    assert secret_map.base == tmp_path
    first, second = secret_map.secrets
    assert first.name == "komodo-database-password"
    assert first.description == "Core's login to its database"
    assert first.places == (
        SopsPlace("secrets/komodo.sops.yaml", ("database", "password"), source=True),
        EnvFilePlace("/etc/komodo/compose.env", "KOMODO_DATABASE_PASSWORD"),
        ContainerPlace("komodo-core-1", "KOMODO_DATABASE_PASSWORD"),
        KomodoVariablePlace("DB_PASSWORD"),
        MongoUserPlace("127.0.0.1", 27017, "admin"),
        PostgresUserPlace("127.0.0.1", 5433, "postgres", sslmode="disable"),
        GithubSecretPlace("acme/homelab", "KOMODO_DB_PASSWORD"),
        CoreConfigPlace("core.config.toml", "database.password"),
    )
    assert second.places == (
        SopsPlace("s.json", ("webhook", 0)),
        GithubSecretPlace("acme", "WEBHOOK", org=True, token_env="GH"),
    )
    assert {type(place) for place in first.places} == set(PLACE_TYPES.values())


def test_github_endpoints() -> None:
    assert GithubSecretPlace("a/b", "X").endpoint == "/repos/a/b/actions/secrets/X"
    assert GithubSecretPlace("a", "X", org=True).endpoint == (
        "/orgs/a/actions/secrets/X"
    )
    assert GithubSecretPlace("a/b", "X", environment="prod").endpoint == (
        "/repos/a/b/environments/prod/secrets/X"
    )


def test_no_secrets_table_is_an_empty_map(tmp_path: Path) -> None:
    assert load_secret_map(write_map(tmp_path, 'fail_on = "error"\n')).secrets == ()


def test_pyproject_table(tmp_path: Path) -> None:
    text = (
        '[project]\nname = "x"\n\n'
        '[[tool.komodo-guard.secrets.secret]]\nname = "a"\n'
        "[[tool.komodo-guard.secrets.secret.places]]\n"
        'kind = "env-file"\nfile = ".env"\nkey = "A_TOKEN"\n'
    )
    secret_map = load_secret_map(write_map(tmp_path, text, "pyproject.toml"))
    assert secret_map.secrets[0].places == (EnvFilePlace(".env", "A_TOKEN"),)


def place_error(tmp_path: Path, body: str) -> str:
    text = f'[[secrets.secret]]\nname = "s"\n\n[[secrets.secret.places]]\n{body}\n'
    with pytest.raises(MapError) as caught:
        load_secret_map(write_map(tmp_path, text))
    return str(caught.value).replace(str(tmp_path) + "/", "")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'kind = "sopss"\nfile = "a"\nkey = "b"',
            "komodo-guard.toml:5:1: `secrets.secret[0].places[0].kind` is `sopss`, "
            "expected one of sops, env-file, container, komodo-variable, "
            "mongodb-user, postgres-user, github-secret, core-config; did you mean "
            "`sops`?",
        ),
        (
            'file = "a"',
            "komodo-guard.toml:4:1: `secrets.secret[0].places[0].kind` is missing, "
            "expected one of",
        ),
        (
            'kind = "env-file"\nfile = "a"\nkey = "B"\nvariable = "C"',
            "komodo-guard.toml:8:1: `secrets.secret[0].places[0].variable` is not a "
            "known key (allowed: kind, source, file, key)",
        ),
        (
            'kind = "env-file"\nfile = "a"',
            "komodo-guard.toml:4:1: `secrets.secret[0].places[0]` needs `key`",
        ),
        (
            'kind = "env-file"\nfile = ""\nkey = "B"',
            "komodo-guard.toml:6:1: `secrets.secret[0].places[0].file` must be a "
            "non-empty string",
        ),
        (
            'kind = "mongodb-user"\nhost = "h"\nuser = "u"\nport = 99999',
            "komodo-guard.toml:8:1: `secrets.secret[0].places[0].port` must be from "
            "1 to 65535",
        ),
        (
            'kind = "mongodb-user"\nhost = "h"\nuser = "u"\nsource = true',
            "komodo-guard.toml:8:1: `secrets.secret[0].places[0].source` cannot be "
            "true on a mongodb-user place",
        ),
        (
            'kind = "github-secret"\nrepo = "a/b"\norg = "a"\nname = "N"',
            "komodo-guard.toml:4:1: `secrets.secret[0].places[0]` needs exactly one "
            "of `repo` and `org`",
        ),
        (
            'kind = "github-secret"\nrepo = "ab"\nname = "N"',
            "komodo-guard.toml:6:1: `secrets.secret[0].places[0].repo` must be "
            '"owner/name"',
        ),
        (
            'kind = "sops"\nfile = "a.yaml"\nkey = []',
            "komodo-guard.toml:7:1: `secrets.secret[0].places[0].key` must be a "
            "dotted string",
        ),
        (
            'kind = "postgres-user"\nhost = "h"\nuser = "u"\nsslmode = "on"',
            "komodo-guard.toml:8:1: `secrets.secret[0].places[0].sslmode` must be "
            "one of disable, allow, prefer",
        ),
    ],
)
def test_place_errors_name_file_line_and_key(
    tmp_path: Path, body: str, expected: str
) -> None:
    assert place_error(tmp_path, body).startswith(expected)


def map_error(tmp_path: Path, text: str) -> str:
    with pytest.raises(MapError) as caught:
        load_secret_map(write_map(tmp_path, text))
    return str(caught.value).replace(str(tmp_path) + "/", "")


def test_two_sources(tmp_path: Path) -> None:
    text = (
        '[[secrets.secret]]\nname = "s"\nplaces = [\n'
        '  {kind = "env-file", file = "a", key = "K", source = true},\n'
        '  {kind = "env-file", file = "b", key = "K", source = true},\n]\n'
    )
    assert map_error(tmp_path, text).startswith(
        "komodo-guard.toml:5:46: `secrets.secret[0].places[1].source` is true on "
        "more than one place"
    )


def test_duplicate_names(tmp_path: Path) -> None:
    one = (
        '[[secrets.secret]]\nname = "s"\n'
        'places = [{kind = "komodo-variable", variable = "V"}]\n'
    )
    assert map_error(tmp_path, one + one).startswith(
        "komodo-guard.toml:5:1: `secrets.secret[1].name` repeats the name 's'"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("secrets = 1\n", "komodo-guard.toml:1:1: `secrets` must be a table"),
        (
            "[secrets]\ngithub = 1\n",
            "komodo-guard.toml:2:1: `secrets.github` is not a known key; did you "
            "mean `github_api`?",
        ),
        (
            '[secrets]\ngithub_api = "ftp://x"\n',
            "komodo-guard.toml:2:1: `secrets.github_api` must be a URL",
        ),
        (
            '[[secrets.secret]]\nname = "s"\n',
            "komodo-guard.toml:1:1: `secrets.secret[0].places` must be a non-empty "
            "array of tables",
        ),
        (
            "[[secrets.secret]]\nplaces = []\n",
            "komodo-guard.toml:1:1: `secrets.secret[0].name` must be a non-empty",
        ),
        ("[secrets]\nsecret = 3\n", "komodo-guard.toml:2:1: `secrets.secret` must be"),
        ("[secrets\n", "komodo-guard.toml:1:"),
    ],
)
def test_map_errors(tmp_path: Path, text: str, expected: str) -> None:
    assert map_error(tmp_path, text).startswith(expected)


DOCS = Path(__file__).resolve().parents[2] / "docs" / "secrets.md"


def test_every_example_of_the_docs_is_a_valid_map(tmp_path: Path) -> None:
    blocks = re.findall(r"```toml\n(.*?)```", DOCS.read_text(), flags=re.DOTALL)
    kinds = set()
    for block in blocks:
        text = (
            block
            if "[[secrets.secret]]" in block
            else ('[[secrets.secret]]\nname = "example"\n' + block)
        )
        secret_map = load_secret_map(write_map(tmp_path, text))
        kinds |= {place.kind for place in secret_map.secrets[0].places}
    assert kinds == set(PLACE_TYPES)
