"""Which Stacks take a secret on deploy (:mod:`komodo_guard.secrets.affected`)."""

from __future__ import annotations

from typing import Any

from komodo_guard.secrets.affected import (
    Use,
    affected,
    unmatched_files,
    variable_names,
)
from komodo_guard.secrets.places.container import ContainerPlace
from komodo_guard.secrets.places.core_config import CoreConfigPlace
from komodo_guard.secrets.places.envfile import EnvFilePlace
from komodo_guard.secrets.places.interface import Place
from komodo_guard.secrets.places.komodo_variable import KomodoVariablePlace
from komodo_guard.secrets.places.sops import SopsPlace


def stack(name: str, info: dict[str, Any] | None = None, **config: Any) -> Any:
    return {"name": name, "config": config, "info": info or {}}


VARIABLE = KomodoVariablePlace("DB_PASSWORD")


def test_a_stack_whose_environment_uses_the_variable_is_affected() -> None:
    stacks = [
        stack("app", environment="DB=[[DB_PASSWORD]]\nOTHER=1"),
        stack("web", environment="DB=[[DB_PASSWORD_OLD]]"),
    ]
    assert affected(stacks, [VARIABLE], {}) == (
        Use("app", "its environment uses [[DB_PASSWORD]]"),
    )


def test_every_interpolated_field_counts_and_lists_are_read() -> None:
    stacks = [
        stack("a", file_contents="x: [[DB_PASSWORD]]"),
        stack("b", pre_deploy={"command": "echo [[DB_PASSWORD]]"}),
        stack("c", extra_args=["--x", "[[DB_PASSWORD]]"]),
        stack("d", compose_cmd_wrapper="[[COMPOSE_COMMAND]] [[DB_PASSWORD]]"),
        stack("e", run_directory="[[DB_PASSWORD]]"),
    ]
    found = affected(stacks, [VARIABLE], {})
    assert [use.stack for use in found] == ["a", "b", "c", "d"]
    assert found[1].reason == "its pre_deploy.command uses [[DB_PASSWORD]]"


def test_skip_secret_interp_and_escapes_are_not_uses() -> None:
    stacks = [
        stack("a", environment="DB=[[DB_PASSWORD]]", skip_secret_interp=True),
        stack("b", environment="DB=[[[DB_PASSWORD]]]"),
    ]
    assert affected(stacks, [VARIABLE], {}) == ()


def test_core_secrets_from_its_config_are_variables_too() -> None:
    places: list[Place] = [
        CoreConfigPlace("core.config.toml", "secrets.GITHUB_TOKEN"),
        CoreConfigPlace("core.config.toml", "database.password"),
        CoreConfigPlace("compose.env", "KOMODO_DATABASE_PASSWORD"),
    ]
    assert variable_names(places) == ("GITHUB_TOKEN",)


def test_a_file_in_the_stack_folder_affects_that_stack_only() -> None:
    places: list[Place] = [
        EnvFilePlace("/etc/komodo/stacks/app/compose.env", "DB_PASSWORD"),
        SopsPlace("/srv/stacks/web/deep/secrets.sops.yaml", ("db",)),
        EnvFilePlace("/etc/komodo/stacks/compose.env", "X"),
    ]
    stacks = [stack("app"), stack("web"), stack("compose.env")]
    assert affected(stacks, places, {}) == (
        Use("app", "its folder on the host holds /etc/komodo/stacks/app/compose.env"),
        Use(
            "web", "its folder on the host holds /srv/stacks/web/deep/secrets.sops.yaml"
        ),
    )


def test_a_container_of_the_stacks_project_affects_it() -> None:
    places: list[Place] = [ContainerPlace("db-1", "POSTGRES_PASSWORD")]
    stacks = [
        stack("Immich", project_name=""),
        stack("paperless", project_name="docs"),
        stack("old", {"deployed_project_name": "legacy"}),
    ]
    projects = {"db-1": "immich", "db-2": "docs", "db-3": "legacy"}
    found = affected(stacks, places, projects)
    assert [(use.stack, use.reason.split()[1]) for use in found] == [
        ("Immich", "db-1"),
        ("paperless", "db-2"),
        ("old", "db-3"),
    ]


def test_malformed_stacks_are_skipped() -> None:
    stacks: list[Any] = [{"name": 3}, {"name": "x", "config": "no"}, {}]
    assert affected(stacks, [VARIABLE], {}) == ()


def test_an_absolute_run_directory_holds_the_stacks_files() -> None:
    places: list[Place] = [EnvFilePlace("/srv/host1/.env", "API_TOKEN")]
    stacks = [
        stack("host1", files_on_host=True, run_directory="/srv/host1"),
        stack("other", run_directory="/srv/host10"),
        stack("relative", run_directory="srv/host1"),
        stack("root", run_directory="/"),
        stack("shallow", run_directory="/srv"),
    ]
    assert affected(stacks, places, {}) == (
        Use("host1", "its folder on the host holds /srv/host1/.env"),
    )


def test_an_env_file_no_stack_reads_is_named() -> None:
    places: list[Place] = [
        EnvFilePlace("/etc/komodo/stacks/app/.env", "A"),
        EnvFilePlace("/opt/elsewhere/.env", "A"),
    ]
    uses = affected([stack("app")], places, {})
    assert unmatched_files(places, uses) == ("/opt/elsewhere/.env",)


def test_a_container_use_names_its_container() -> None:
    places: list[Place] = [ContainerPlace("db-1", "P")]
    (use,) = affected([stack("db")], places, {"db-1": "db"})
    assert use.container == "db-1"
