"""Periphery receives Core's secrets through the shared ``compose.env``.

Komodo's shipped ``mongo.compose.yaml`` and ``ferretdb.compose.yaml`` give
both Core and Periphery ``env_file: ./compose.env``. That file holds the
database password, the JWT and webhook secrets and the first admin's
password, so the Periphery container gets them all in its environment,
although it needs none. Periphery runs commands on the host and has the
Docker socket: anything that reads its environment (a terminal, ``docker
inspect``, a crash dump) now reveals Core's keys.

Reported (warning) on the ``env_file`` entry of a Periphery service when the
file defines one of those secrets with a value, naming the variables, never
their values; also when the file is not in the tree but is named
``compose.env``.

Failing::

    services:
      periphery:
        image: ghcr.io/moghtech/komodo-periphery:2
        env_file: ./compose.env

Passing::

    services:
      periphery:
        image: ghcr.io/moghtech/komodo-periphery:2
        env_file: ./periphery.env
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from komodo_guard.rules.install.common import at, install_of
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.install import EnvFileUse, PeripheryService
from komodo_guard.workspace.model import Workspace

HINT = (
    "give Periphery its own env file (or an `environment:` list) with only the "
    "PERIPHERY_* variables, and keep compose.env for Core"
)


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per env file entry that hands Core secrets to Periphery."""
    for periphery in install_of(workspace).peripheries:
        for use in periphery.env_files:
            message = _message(periphery, use)
            if message:
                yield rule.finding(message, location=at(use.place), hint=HINT)


def _message(periphery: PeripheryService, use: EnvFileUse) -> str:
    if use.secret_keys:
        keys = ", ".join(f"`{key}`" for key in use.secret_keys)
        return (
            f"{periphery.label} gets `{use.written}` as its env_file, so its "
            f"container also receives Core's secrets {keys}"
        )
    if use.path is None and posixpath.basename(use.written) == "compose.env":
        return (
            f"{periphery.label} gets `{use.written}` (not in this tree) as its "
            "env_file; Komodo's compose.env holds the database password and the "
            "JWT and webhook secrets, which the container then receives"
        )
    return ""


RULE = RuleInfo(
    code="KG903",
    name="periphery-gets-core-secrets",
    severity=Severity.WARNING,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
