"""``komodo-guard secrets check`` and ``secrets map --suggest``.

``secrets check`` reads the secret map (``[secrets]`` in komodo-guard.toml,
or the file given with ``--map``), reads every place, and prints the matrix;
the tree at PATH is read too, for secret Variables a ResourceSync would
blank. Exit 0 when every copy agrees, 1 on drift (a different or missing
copy, a refused login, a Variable a sync would blank), 2 when a place could
not be read or the map is wrong.

``secrets map --suggest`` prints a proposed map (TOML, names only) built
from the tree and, with ``--docker-socket``, from this host's containers;
``-o FILE`` writes it to a new file, never over an existing one.
"""

from __future__ import annotations

import logging
import os
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from komodo_guard.cli.livecheck import core_url
from komodo_guard.cli.main import UsageError
from komodo_guard.cli.run import collect_tree, load_settings, write
from komodo_guard.config import CONFIG_NAME, Config, find_config
from komodo_guard.secrets.places.interface import Context, MapError
from komodo_guard.secrets.places.komodo_variable import KomodoVariablePlace
from komodo_guard.secrets.secretmap import SecretMap, load_secret_map

if TYPE_CHECKING:
    from komodo_guard.host.model import Container

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
DEFAULT_JOBS = 8
FORMATS = ("text", "json", "markdown")
NO_MAP = (
    "no secret map: add [[secrets.secret]] tables to komodo-guard.toml (see "
    "docs/secrets.md) or pass --map FILE; `komodo-guard secrets map --suggest` "
    "proposes one"
)


def secrets_check(
    path: Path,
    *,
    config: Path | None = None,
    map_file: Path | None = None,
    output: Path | None = None,
    fmt: str = "text",
    komodo: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int = DEFAULT_JOBS,
    docker_socket: str | None = None,
    komodo_version: str | None = None,
) -> int:
    """Compare every secret of the map across its places; the exit code."""
    from komodo_guard.secrets.blanked import blanked_variables
    from komodo_guard.secrets.check import check_secrets
    from komodo_guard.secrets.render import SecretsFormat, render

    settings = load_settings(path, config)
    secret_map = (
        _configured(settings.secret_map, settings.source)
        if map_file is None and settings.secret_map is not None
        else secret_map_at(map_file or config or find_config(path))
    )
    workspace = collect_tree(path, settings, komodo_version)
    with ExitStack() as stack:
        context = Context(
            base=secret_map.base,
            environ=os.environ,
            timeout=timeout,
            docker_socket=docker_socket,
            github_api=secret_map.github_api,
        )
        if needs_core(secret_map):
            context = with_core(context, komodo, settings, stack)
        result = check_secrets(
            secret_map, context, jobs=jobs, blanked=blanked_variables(workspace)
        )
    write(render(result, SecretsFormat(fmt)), output)
    return result.exit_code


def _configured(secret_map: SecretMap, source: str) -> SecretMap:
    """The map the config file already read (not parsed a second time)."""
    if not secret_map.secrets:
        raise UsageError(f"{source}: {NO_MAP}")
    return secret_map


def secret_map_at(path: Path | None) -> SecretMap:
    """The secret map of the file at ``path``; a usage error when there is none."""
    if path is None:
        raise UsageError(NO_MAP)
    try:
        secret_map = load_secret_map(path)
    except MapError as error:
        raise UsageError(str(error)) from None
    if not secret_map.secrets:
        raise UsageError(f"{path}: {NO_MAP}")
    return secret_map


def needs_core(secret_map: SecretMap) -> bool:
    """Whether a place of the map is a Komodo Variable."""
    return any(
        isinstance(place, KomodoVariablePlace)
        for secret in secret_map.secrets
        for place in secret.places
    )


def with_core(
    context: Context, komodo: str | None, settings: Config, stack: ExitStack
) -> Context:
    """The context with a Core client, or with the reason there is none (the
    Variable cells then say it)."""
    from dataclasses import replace

    from komodo_guard.live.client import CoreClient

    try:
        url = core_url(komodo, settings)
        client = CoreClient.from_env(url, timeout=context.timeout)
    except (UsageError, ValueError) as error:
        log.info("Komodo Variables are not read: %s", error)
        return replace(context, core_problem=str(error))
    return replace(context, core=stack.enter_context(client))


def secrets_suggest(
    path: Path,
    *,
    config: Path | None = None,
    output: Path | None = None,
    docker_socket: str | None = None,
    komodo_version: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> int:
    """Print a proposed secret map for the tree at ``path``; 0, or 2 when the
    Docker socket given cannot be read or ``output`` is an existing file
    (it is never replaced: it may be the config, holding more than a map).

    Its relative file paths start at the folder of the file meant to hold
    it: ``output``, else the config file (given, found, or the
    ``komodo-guard.toml`` to create at the tree's root).
    """
    from komodo_guard.secrets.suggest import render_suggestion, suggest_map

    if output is not None and output.is_file():
        raise UsageError(
            f"{output} exists and `secrets map --suggest` does not replace a "
            "file: print the map to standard output (leave out -o) and paste "
            "its [secrets] tables, or choose a new file"
        )
    settings = load_settings(path, config)
    workspace = collect_tree(path, settings, komodo_version)
    containers = _containers(docker_socket, timeout) if docker_socket else ()
    holder = output or config or find_config(path) or path / CONFIG_NAME
    secrets = suggest_map(path, workspace, containers, folder=holder.parent)
    write(render_suggestion(secrets, holder), output)
    return 0


def _containers(socket: str, timeout: float) -> tuple[Container, ...]:
    from komodo_guard.host.docker import read_containers
    from komodo_guard.live.fingerprint import new_key

    containers, problems = read_containers(
        socket.removeprefix("unix://"), new_key(), timeout=timeout
    )
    if containers is None:
        reason = problems[0].reason if problems else "unknown error"
        raise UsageError(f"cannot read the containers over {socket}: {reason}")
    for problem in problems:
        log.warning("%s: %s: %s", problem.subject, problem.call, problem.reason)
    return containers
