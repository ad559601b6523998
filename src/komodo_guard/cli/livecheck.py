"""Shared wiring of the commands that read Komodo Core: drift, audit, postmortem.

Which Core: ``--komodo URL``, else ``[komodo] url`` in the config, else the
``KOMODO_URL`` environment variable; there is no built-in default host. The
API key and secret come only from ``KOMODO_API_KEY`` and ``KOMODO_API_SECRET``.
``--demo`` instead starts komodo-guard's Core emulator in this process, on
127.0.0.1, serving the bundled demo scenario, with throwaway credentials that
only its own client knows.

Reading Core is one ``GetVersion`` first (a Core that cannot be reached or
refuses the key stops the command with one line naming the call), then one
snapshot, then the history of its update log, then the live rules.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from komodo_guard.cli.main import (
    CONCURRENCY,
    TIMEOUT,
    WINDOW_DAYS,
    CoreUnavailableError,
    UsageError,
)
from komodo_guard.cli.run import rule_options, rule_settings
from komodo_guard.report.interface import LiveSummary

if TYPE_CHECKING:
    from komodo_guard.config import Config
    from komodo_guard.history.model import History
    from komodo_guard.host.inventory import InventoryHost
    from komodo_guard.live.client import CoreClient
    from komodo_guard.live.snapshot import LiveSnapshot
    from komodo_guard.rules.interface import Finding
    from komodo_guard.workspace.model import Workspace

log = logging.getLogger(__name__)

URL_VARIABLE = "KOMODO_URL"
DEMO_SCENARIO = "demo.toml"


@dataclass(frozen=True)
class LiveOptions:
    """How to reach Core and what to read, from the command line;
    ``inventory`` (with its ``inventory_kind``, None: told by the file) is
    ``--inventory``, which replaces ``[hosts] inventory``."""

    komodo: str | None = None
    demo: bool = False
    timeout: float = TIMEOUT
    window_days: int = WINDOW_DAYS
    refresh: bool = False
    concurrency: int = CONCURRENCY
    quiet: bool = False
    inventory: Path | None = None
    inventory_kind: str | None = None


def with_inventory(settings: Config, options: LiveOptions) -> Config:
    """``settings`` with ``--inventory`` and its kind over ``[hosts]``."""
    if options.inventory is None:
        return settings
    return replace(
        settings, inventory=options.inventory, inventory_kind=options.inventory_kind
    )


@dataclass(frozen=True)
class CoreRead:
    """One reading of Core: the snapshot, its history, and how reports name it."""

    snapshot: LiveSnapshot
    history: History
    summary: LiveSummary


def core_url(cli_url: str | None, settings: Config) -> str:
    """``--komodo``, else ``[komodo] url``, else ``KOMODO_URL``; else a usage error."""
    url = cli_url or settings.komodo_url or os.environ.get(URL_VARIABLE, "")
    if not url:
        raise UsageError(
            "no Komodo Core to read: pass --komodo URL, set url in the [komodo] "
            f"table of komodo-guard.toml, or export {URL_VARIABLE} "
            "(or try --demo)"
        )
    return url


@contextlib.contextmanager
def core_client(options: LiveOptions, settings: Config) -> Iterator[CoreClient]:
    """A client of the chosen Core; with ``--demo``, of an emulator that lives
    as long as the ``with`` block."""
    from komodo_guard.live.client import CoreClient

    if options.demo:
        with _demo_client(options) as client:
            yield client
        return
    url = core_url(options.komodo, settings)
    try:
        client = CoreClient.from_env(url, timeout=options.timeout)
    except ValueError as error:
        raise UsageError(str(error)) from error
    with client:
        yield client


@contextlib.contextmanager
def _demo_client(options: LiveOptions) -> Iterator[CoreClient]:
    from importlib import resources

    from komodo_guard.live.client import CoreClient
    from komodo_guard.testing import CoreEmulator, load_scenario

    source = resources.files("komodo_guard.testing").joinpath(
        "scenarios", DEMO_SCENARIO
    )
    with resources.as_file(source) as path:
        scenario = load_scenario(path)
    key, secret = secrets.token_hex(16), secrets.token_hex(24)
    with (
        CoreEmulator(scenario, api_key=key, api_secret=secret) as emulator,
        CoreClient(emulator.url, key, secret, timeout=options.timeout) as client,
    ):
        yield client


def read_core(client: CoreClient, options: LiveOptions) -> CoreRead:
    """Check that Core answers, take the snapshot, classify the update log."""
    from komodo_guard.history.build import history_of
    from komodo_guard.live.errors import CoreError
    from komodo_guard.live.progress import terminal_progress
    from komodo_guard.live.snapshot import collect_snapshot

    try:
        client.version()
    except CoreError as error:
        raise CoreUnavailableError(str(error)) from error
    snapshot = collect_snapshot(
        client,
        window_days=options.window_days,
        refresh=options.refresh,
        concurrency=options.concurrency,
        progress=None if options.quiet else terminal_progress(sys.stderr),
    )
    for group in snapshot.unread:
        log.warning("%s", group.message)
    described = summary(snapshot, demo=options.demo)
    history = history_of(
        snapshot.updates,
        since=_ms(described.since),
        until=_ms(described.until),
        complete=not snapshot.could_not_read("ListUpdates"),
    )
    return CoreRead(snapshot, history, described)


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def summary(snapshot: LiveSnapshot, *, demo: bool = False) -> LiveSummary:
    """How reports describe ``snapshot``."""
    counts = (
        ("server", len(snapshot.servers)),
        ("stack", len(snapshot.stacks)),
        ("deployment", len(snapshot.deployments)),
        ("sync", len(snapshot.syncs)),
        ("procedure", len(snapshot.procedures)),
        ("action", len(snapshot.actions)),
        ("alerter", len(snapshot.alerters)),
        ("variable", len(snapshot.variables)),
        ("update", len(snapshot.updates)),
        ("open alert", len(snapshot.open_alerts)),
    )
    unread = tuple(group.message for group in snapshot.unread)
    return LiveSummary(
        url=snapshot.url,
        version=snapshot.version,
        since=snapshot.collected_at - timedelta(days=snapshot.window_days),
        until=snapshot.collected_at,
        counts=counts,
        unread=unread,
        refreshed=snapshot.refreshed,
        demo=demo,
    )


def live_findings(
    read: CoreRead, workspace: Workspace | None, settings: Config
) -> list[Finding]:
    """Every enabled live rule over what Core reported (and git declares)."""
    from komodo_guard.rules.engine import run_live_rules
    from komodo_guard.rules.interface import LiveFacts
    from komodo_guard.rules.registry import LIVE_RULES

    facts = LiveFacts(read.snapshot, workspace, read.history)
    options = rule_options(settings)
    if settings.inventory is not None:
        hosts = inventory_hosts(settings.inventory, settings.inventory_kind)
        options = replace(options, extra={"inventory": hosts})
    return run_live_rules(facts, LIVE_RULES, options, rule_settings(settings))


def inventory_hosts(path: Path, kind: str | None) -> tuple[InventoryHost, ...]:
    """The hosts of ``[hosts] inventory``, read again only when the file changed
    (``watch`` asks every cycle)."""
    from komodo_guard.host.inventory import InventoryError

    try:
        stat = path.stat()
    except OSError:
        stat = None
    try:
        return _inventory(
            path, kind, (stat.st_mtime_ns, stat.st_size) if stat else None
        )
    except InventoryError as error:  # unreadable files included
        raise UsageError(str(error)) from error


@functools.lru_cache(maxsize=4)
def _inventory(
    path: Path, kind: str | None, version: tuple[int, int] | None
) -> tuple[InventoryHost, ...]:
    """The inventory's hosts; ``version`` (modification time and size) only
    keys the cache."""
    from komodo_guard.host.inventory import InventoryKind, read_inventory

    found = read_inventory(path, InventoryKind(kind) if kind else None)
    for note in found.notes:
        log.warning("%s", note)
    return found.hosts
