"""Where Periphery keeps its checkouts (FACTS §5.3).

The root directory is, in order: the ``--root`` option, the
``PERIPHERY_ROOT_DIRECTORY`` environment variable, ``root_directory`` in
Periphery's config file, else ``/etc/komodo``. The stack, repo and build
folders are ``PERIPHERY_STACK_DIR`` / ``stack_dir`` (and the same for repos
and builds), else ``stacks``, ``repos`` and ``builds`` under the root.

The config file is the ``--periphery-config`` option, else each file (or
``periphery.config.toml`` in each folder) listed in ``PERIPHERY_CONFIG_PATHS``,
else ``/etc/komodo/periphery.config.toml`` when it exists. Later files
override earlier ones, as Periphery merges them.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from komodo_guard.host.model import PeripheryDirs

log = logging.getLogger(__name__)

DEFAULT_ROOT = "/etc/komodo"
DEFAULT_CONFIG = "/etc/komodo/periphery.config.toml"
CONFIG_NAME = "periphery.config.toml"
_FOLDERS = (("stacks", "stack"), ("repos", "repo"), ("builds", "build"))


class PeripheryConfigError(Exception):
    """Periphery's config file exists but cannot be read as TOML."""


def periphery_dirs(
    root: Path | None = None,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> PeripheryDirs:
    """Periphery's folders as Periphery itself would choose them."""
    env = os.environ if environ is None else environ
    files = _config_files(config, env)
    settings = _merged(files)
    chosen, source = _root(root, env, settings, files)
    folders = {
        plural: _folder(chosen, plural, key, env, settings) for plural, key in _FOLDERS
    }
    return PeripheryDirs(
        root=chosen,
        stacks=folders["stacks"],
        repos=folders["repos"],
        builds=folders["builds"],
        source=source,
    )


def _root(
    option: Path | None,
    env: Mapping[str, str],
    settings: Mapping[str, Any],
    files: list[Path],
) -> tuple[str, str]:
    if option is not None:
        # Absolute, as Docker's compose labels name working folders.
        return os.path.abspath(option), "option"
    if env.get("PERIPHERY_ROOT_DIRECTORY"):
        return env["PERIPHERY_ROOT_DIRECTORY"], "environment"
    value = settings.get("root_directory")
    if isinstance(value, str) and value:
        return value, f"config {files[-1]}"
    return DEFAULT_ROOT, "default"


def _folder(
    root: str, plural: str, key: str, env: Mapping[str, str], settings: Any
) -> str:
    from_env = env.get(f"PERIPHERY_{key.upper()}_DIR")
    if from_env:
        return from_env
    value = settings.get(f"{key}_dir")
    if isinstance(value, str) and value:
        return value
    return str(Path(root) / plural)


def _config_files(option: Path | None, env: Mapping[str, str]) -> list[Path]:
    if option is not None:
        return [option]
    listed = [part.strip() for part in env.get("PERIPHERY_CONFIG_PATHS", "").split(",")]
    paths = [Path(part) for part in listed if part]
    if not paths:
        return [Path(DEFAULT_CONFIG)] if Path(DEFAULT_CONFIG).is_file() else []
    found = [path / CONFIG_NAME if path.is_dir() else path for path in paths]
    return [path for path in found if path.is_file()]


def _merged(files: list[Path]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in files:
        try:
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except OSError as error:
            raise PeripheryConfigError(
                f"{path}: cannot read Periphery's config: {error.strerror}"
            ) from error
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise PeripheryConfigError(
                f"{path}: Periphery's config is not valid TOML: {error}"
            ) from error
        log.debug("read Periphery's config %s", path)
    return merged
