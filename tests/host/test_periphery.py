"""Periphery's folders: option, environment, config file, default."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.host.periphery import PeripheryConfigError, periphery_dirs


def test_default_layout_without_config(tmp_path: Path) -> None:
    dirs = periphery_dirs(environ={"PERIPHERY_CONFIG_PATHS": str(tmp_path / "none")})

    assert (dirs.root, dirs.stacks, dirs.repos, dirs.builds, dirs.source) == (
        "/etc/komodo",
        "/etc/komodo/stacks",
        "/etc/komodo/repos",
        "/etc/komodo/builds",
        "default",
    )


def test_option_wins_over_environment_and_config(tmp_path: Path) -> None:
    config = tmp_path / "periphery.config.toml"
    config.write_text('root_directory = "/from/config"\n')
    env = {"PERIPHERY_ROOT_DIRECTORY": "/from/env"}

    dirs = periphery_dirs(Path("/from/option"), config, env)

    assert (dirs.root, dirs.stacks, dirs.source) == (
        "/from/option",
        "/from/option/stacks",
        "option",
    )


def test_environment_wins_over_config(tmp_path: Path) -> None:
    config = tmp_path / "periphery.config.toml"
    config.write_text('root_directory = "/from/config"\n')

    dirs = periphery_dirs(None, config, {"PERIPHERY_ROOT_DIRECTORY": "/from/env"})

    assert (dirs.root, dirs.source) == ("/from/env", "environment")


def test_config_from_periphery_config_paths(tmp_path: Path) -> None:
    (tmp_path / "periphery.config.toml").write_text(
        'root_directory = "/srv/komodo"\nrepo_dir = "/data/repos"\n'
        'passkeys = ["do-not-show"]\n'
    )
    env = {"PERIPHERY_CONFIG_PATHS": str(tmp_path), "PERIPHERY_STACK_DIR": "/data/st"}

    dirs = periphery_dirs(environ=env)

    assert (dirs.root, dirs.stacks, dirs.repos, dirs.builds) == (
        "/srv/komodo",
        "/data/st",
        "/data/repos",
        "/srv/komodo/builds",
    )
    assert dirs.source == f"config {tmp_path / 'periphery.config.toml'}"


def test_broken_config_is_an_error_without_its_contents(tmp_path: Path) -> None:
    config = tmp_path / "periphery.config.toml"
    config.write_text('passkeys = ["do-not-show"\n')

    with pytest.raises(PeripheryConfigError) as caught:
        periphery_dirs(None, config, {})

    assert "not valid TOML" in str(caught.value)
    assert "do-not-show" not in str(caught.value)


def test_missing_config_given_as_option(tmp_path: Path) -> None:
    with pytest.raises(PeripheryConfigError, match="cannot read Periphery's config"):
        periphery_dirs(None, tmp_path / "absent.toml", {})
