"""Komodo's install files: finding them, and resolving each Core setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.komodo.model import load
from komodo_guard.workspace import install
from komodo_guard.workspace.collect import collect
from komodo_guard.workspace.envfile import dotenv_entries
from komodo_guard.workspace.install import InstallFiles, Place, Resolved, expand
from komodo_guard.workspace.walk import read_inside
from tests.conftest import TreeFactory


def _install(root: Path) -> InstallFiles:
    found = collect(root, load(None)).install
    assert found is not None
    return found


def test_dotenv_entries_values_and_positions() -> None:
    entries = dotenv_entries(
        "# c\n"
        "A=plain # comment\n"
        "export B='single $X'\n"
        '  C="two\n'
        'lines\\n"\n'
        "D\n"
        "E=\n"
        "F=a#b\n"
    )
    assert [(e.key, e.line, e.column, e.value, e.expands) for e in entries] == [
        ("A", 2, 1, "plain", True),
        ("B", 3, 8, "single $X", False),
        ("C", 4, 3, "two\nlines\n", True),
        ("D", 6, 1, None, True),
        ("E", 7, 1, "", True),
        ("F", 8, 1, "a#b", True),
    ]
    assert "single" not in repr(entries[1])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("${A}", "1"),
        ("x${A}y$$", "x1y$"),
        ("${E:-d}", "d"),
        ("${E-d}", ""),
        ("${A:+set}", "set"),
        ("${MISSING}", None),
        ("$A/${A}", "1/1"),
    ],
)
def test_expand(text: str, value: str | None) -> None:
    here = Place("f", 1, 1)
    env = {"A": Resolved("1", Place("a.env", 3, 1)), "E": Resolved("", here)}
    result = expand(text, env, here)
    assert (result.value if result else None) == value


def test_expand_origin_is_the_variable_line_only_for_a_whole_value() -> None:
    here = Place("compose.yaml", 5, 7)
    env = {"A": Resolved("1", Place("compose.env", 3, 1))}
    assert expand("${A}", env, here) == Resolved("1", Place("compose.env", 3, 1))
    assert expand("x${A}", env, here) == Resolved("x1", here)


def test_layers_environment_over_env_file_over_config_and_file_variant_wins(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(
        {
            "komodo/compose.yaml": "services:\n"
            "  core:\n"
            "    image: ghcr.io/moghtech/komodo-core:${TAG:-2}\n"
            "    env_file: [./compose.env]\n"
            "    volumes:\n"
            "      - ./core.config.toml:/config/config.toml\n"
            "    environment:\n"
            "      KOMODO_HOST: ${PUBLIC}\n"
            "      KOMODO_JWT_SECRET: inline\n",
            "komodo/compose.env": "PUBLIC=https://k.lan\n"
            "KOMODO_HOST=https://ignored.lan\n"
            "KOMODO_JWT_SECRET_FILE=/run/secrets/jwt\n"
            "KOMODO_LOCAL_AUTH=true\n",
            "komodo/core.config.toml": "local_auth = false\ntransparent_mode = true\n",
        }
    )
    (core,) = _install(root).cores
    assert core.complete
    assert core.files == ("komodo/core.config.toml", "komodo/compose.env")
    settings = core.settings
    assert settings["host"].value == "https://k.lan"
    assert settings["host"].place == Place("komodo/compose.yaml", 8, 7)
    assert settings["host"].origin == Place("komodo/compose.env", 1, 1)
    assert settings["jwt_secret"].from_file
    assert settings["local_auth"].value == "true"
    assert settings["transparent_mode"].place == Place("komodo/core.config.toml", 2, 1)


def test_sources_outside_the_tree_make_a_core_incomplete(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n"
            "  core:\n"
            "    image: ghcr.io/moghtech/komodo-core:2\n"
            "    env_file: /srv/core.env\n"
            "    volumes: [/srv/core.config.toml:/config/config.toml]\n"
        }
    )
    (core,) = _install(root).cores
    assert not core.complete
    assert len(core.unknown) == 2


def test_stack_environment_feeds_interpolation_with_its_lines(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(
        {
            "komodo/resources.toml": "[[stack]]\n"
            'name = "komodo"\n'
            "[stack.config]\n"
            'repo = "me/infra"\n'
            'run_directory = "komodo"\n'
            'environment = """\n'
            "KOMODO_DB_PASSWORD=[[DB_PASSWORD]]\n"
            "KOMODO_DB_USERNAME=admin\n"
            '"""\n',
            "komodo/compose.yaml": "services:\n"
            "  core:\n"
            "    image: ghcr.io/moghtech/komodo-core:2\n"
            "    environment:\n"
            "      KOMODO_DATABASE_USERNAME: ${KOMODO_DB_USERNAME}\n"
            "      KOMODO_DATABASE_PASSWORD: ${KOMODO_DB_PASSWORD}\n",
        }
    )
    found = collect(root, load(None), repos=["me/infra"]).install
    assert found is not None
    (core,) = found.cores  # the deploying stack is not a standalone source
    assert core.settings["db_username"].value == "admin"
    assert core.settings["db_username"].origin == Place("komodo/resources.toml", 8, 1)
    assert core.settings["db_password"].value is None


def test_standalone_sources(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "a/compose.env": "KOMODO_DB_PASSWORD=x\nOTHER=1\n",
            "b/core.config.toml": 'host = "https://k.lan"\n',
            "c/core.config.toml": '[[server]]\nname = "local"\n',
            "d/periphery.config.toml": 'root_directory = "/etc/komodo"\n',
            "e/.env": "KOMODO_HOST=https://k.lan\n",
        }
    )
    cores = _install(root).cores
    assert [(c.label, sorted(c.settings), c.complete) for c in cores] == [
        ("`a/compose.env`", ["db_password"], False),
        ("`b/core.config.toml`", ["host"], False),
    ]


def test_periphery_and_database_services(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n"
            "  db:\n"
            "    image: ghcr.io/ferretdb/postgres-documentdb:17\n"
            "    environment: [POSTGRES_PASSWORD=pw]\n"
            "  core:\n"
            "    image: ghcr.io/moghtech/komodo-core:2\n"
            "  agent:\n"
            "    image: ghcr.io/moghtech/komodo-periphery:2\n"
            "    env_file: {path: ./compose.env, required: false}\n",
            "compose.env": "KOMODO_JWT_SECRET=j\nKOMODO_WEBHOOK_SECRET=\n",
            "other/compose.yaml": "services:\n  pg:\n    image: postgres:16\n",
        }
    )
    found = _install(root)
    (database,) = found.databases  # the postgres without a Core is not Komodo's
    assert database.settings["init_password"].place == Place("compose.yaml", 4, 19)
    (periphery,) = found.peripheries
    (use,) = periphery.env_files
    assert (use.path, use.secret_keys) == ("compose.env", ("KOMODO_JWT_SECRET",))


@pytest.mark.parametrize(
    ("image", "role"),
    [
        ("ghcr.io/moghtech/komodo-core:2", "core"),
        ("ghcr.io/mbecker20/komodo:release", "core"),
        ("ghcr.io/moghtech/komodo-periphery@sha256:ab", "periphery"),
        ("mongo", "database"),
        ("ghcr.io/ferretdb/ferretdb:2", "database"),
        ("nginx:1.27", None),
        ("ghcr.io/example/komodo-core-exporter:1", None),
    ],
)
def test_image_role(image: str, role: str | None) -> None:
    assert install.image_role(image) == role


def test_only_candidate_files_are_read(
    make_tree: TreeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    files: dict[str, str | bytes] = {
        f"apps/app{n}/notes.env.txt": "KOMODO_HOST=x\n" for n in range(50)
    }
    files.update({f"apps/app{n}/data.toml": "a = 1\n" for n in range(50)})
    files["komodo/compose.env"] = "KOMODO_HOST=https://k.lan\n"
    root = make_tree(files)
    read: list[str] = []

    def spy(base: Path, relative: str, limit: int) -> bytes | None:
        read.append(relative)
        return read_inside(base, relative, limit)

    monkeypatch.setattr(install, "read_inside", spy)
    assert len(_install(root).cores) == 1
    assert read == ["komodo/compose.env"]
