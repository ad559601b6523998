"""``komodo-guard watch``: keep checking Komodo, alert on changes, until stopped.

Wiring only: the settings come from ``[watch]`` and ``[[notify.channel]]``
of the config (``--config``, else ``komodo-guard.toml`` in the current
folder, else the defaults), overridden by the flags; the checks of each
cycle are :class:`CoreCheck` (Core's live findings with its history, the
host checks when ``[watch] host`` is on, the lint of ``[watch] lint``); the
loop is :mod:`komodo_guard.watch.loop`.

``--once`` runs one cycle and exits like ``drift``: 0 no open findings at
or above ``fail_on``, 1 findings, 2 could not check. Without it the watcher
runs until SIGTERM or SIGINT (exit 0) and reloads its config on SIGHUP (a
config that does not load is logged, and the old one kept).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from komodo_guard.cli.livecheck import (
    LiveOptions,
    core_client,
    live_findings,
    read_core,
    with_inventory,
)
from komodo_guard.cli.main import CoreUnavailableError, UsageError
from komodo_guard.config import (
    Config,
    ConfigError,
    find_config,
    load_config,
    parse_duration,
    parse_listen,
)
from komodo_guard.rules.interface import FailureClass, Finding, Severity
from komodo_guard.watch.logs import LogFormat, use_format
from komodo_guard.watch.loop import Control, Observation, Watcher, run_forever
from komodo_guard.watch.settings_file import (
    WatchSettings,
    WatchSettingsError,
    watch_settings,
)
from komodo_guard.watch.state import WatchStateError

if TYPE_CHECKING:
    from komodo_guard.live.client import CoreClient
    from komodo_guard.live.snapshot import LiveSnapshot
    from komodo_guard.watch.heartbeat import Pinger
    from komodo_guard.watch.metrics import Metrics
    from komodo_guard.watch.server import Board, StatusServer
    from komodo_guard.workspace.model import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Overrides:
    """What the command line sets over the config file."""

    interval: timedelta | None = None
    listen: tuple[str, int] | None = None
    no_status: bool = False


def watch(
    *,
    config: Path | None,
    once: bool,
    interval: str | None,
    status: str | None,
    no_status: bool,
    log_format: str,
    live: LiveOptions,
) -> int:
    """Run the watcher (see the module); returns the exit code."""
    use_format(LogFormat(log_format))
    overrides = _overrides(interval, status, no_status)
    path = config if config is not None else find_config(Path.cwd())
    settings = _settings(path, overrides, live)
    live = replace(live, quiet=True)
    with contextlib.ExitStack() as stack:
        client = stack.enter_context(core_client(live, settings.config))
        control = Control()
        watcher = _watcher(stack, settings, client, live, control, once=once)
        if once:
            return watcher.exit_code(watcher.cycle())
        stack.callback(control.install())
        server = _Server(watcher)
        stack.callback(server.close)
        server.start(settings)
        reload = _Reloader(path, overrides, watcher, client, live, server)
        log.info(
            "watching %s every %s",
            client.url,
            settings.interval,
            extra={"fields": {"event": "start"}},
        )
        run_forever(watcher, control, reload)
    return 0


def _overrides(interval: str | None, status: str | None, no_status: bool) -> Overrides:
    try:
        return Overrides(
            interval=parse_duration(interval) if interval else None,
            listen=parse_listen(status) if status else None,
            no_status=no_status,
        )
    except ValueError as error:
        raise UsageError(str(error)) from error


def _settings(
    path: Path | None, overrides: Overrides, live: LiveOptions
) -> WatchSettings:
    """The settings from ``path`` with ``overrides`` and ``--inventory``; a
    usage error if bad."""
    try:
        settings = watch_settings(load_config(path), os.environ)
    except (ConfigError, WatchSettingsError) as error:
        raise UsageError(str(error)) from error
    settings = replace(settings, config=with_inventory(settings.config, live))
    if overrides.interval is not None:
        settings = replace(settings, interval=overrides.interval)
    if overrides.no_status:
        settings = replace(settings, listen=None)
    elif overrides.listen is not None:
        settings = replace(settings, listen=overrides.listen)
    return settings


def _watcher(
    stack: contextlib.ExitStack,
    settings: WatchSettings,
    client: CoreClient,
    live: LiveOptions,
    control: Control,
    *,
    once: bool,
) -> Watcher:
    from komodo_guard.notify.sender import Sender
    from komodo_guard.watch.state import WatchStateError

    sender = stack.enter_context(Sender())
    board, metrics = (None, None) if once else _board(settings)
    try:
        watcher = Watcher(
            settings,
            CoreCheck(client, live, settings),
            sender.send,
            pinger=_pinger(settings),
            board=board,
            metrics=metrics,
            control=control,
            core_url=client.url,
        )
    except (OSError, WatchStateError) as error:
        raise UsageError(f"cannot open the watch state: {error}") from error
    except sqlite3.DatabaseError as error:  # the outbox file is not a database
        raise UsageError(
            f"cannot open the outbox {settings.outbox_path}: {error}; move the "
            "file aside (undelivered alerts in it are lost) and start again"
        ) from error
    stack.callback(watcher.close)
    return watcher


def _board(settings: WatchSettings) -> tuple[Board, Metrics]:
    from komodo_guard.watch.metrics import Metrics
    from komodo_guard.watch.server import Board
    from komodo_guard.watch.status import Status

    return Board(Status(interval=settings.interval)), Metrics()


def _pinger(settings: WatchSettings) -> Pinger | None:
    from komodo_guard.watch.heartbeat import Pinger

    beat = settings.heartbeat
    if beat is None:
        return None
    return Pinger(beat.url, beat.timeout.total_seconds())


class _Server:
    """The status server of a watcher, restarted when its address changes."""

    def __init__(self, watcher: Watcher) -> None:
        self._watcher = watcher
        self._running: StatusServer | None = None
        self._bound: tuple[tuple[str, int] | None, str | None] = (None, None)

    def start(self, settings: WatchSettings) -> None:
        from komodo_guard.watch.server import make_app, serve

        wanted = (settings.listen, settings.status_token)
        if self._running is not None and wanted == self._bound:
            return
        self.close()
        self._bound = wanted
        if settings.listen is None:
            return
        board, metrics = self._watcher.board, self._watcher.metrics
        if board is None or metrics is None:
            return
        board.publish(self._watcher.status())
        app = make_app(board, metrics, token=settings.status_token)
        host, port = settings.listen
        try:
            self._running = serve(app, host, port)
        except OSError as error:
            raise UsageError(
                f"cannot serve the status page on {host}:{port}: {error.strerror}; "
                "choose another address with --status or [watch] listen, or "
                "pass --no-status"
            ) from error
        log.info("status page, /metrics and /healthz on %s", self._running.url)

    def close(self) -> None:
        if self._running is not None:
            self._running.close()
            self._running = None


class _Reloader:
    """SIGHUP: load the config again; keep the old one if it does not load."""

    def __init__(
        self,
        path: Path | None,
        overrides: Overrides,
        watcher: Watcher,
        client: CoreClient,
        live: LiveOptions,
        server: _Server,
    ) -> None:
        self._path = path
        self._overrides = overrides
        self._watcher = watcher
        self._client = client
        self._live = live
        self._server = server

    def __call__(self) -> None:
        try:
            settings = _settings(self._path, self._overrides, self._live)
            self._server.start(settings)
        except UsageError as error:
            log.error("configuration not reloaded, the old one stays: %s", error)
            return
        url = settings.config.komodo_url
        if url and url != self._watcher.settings.config.komodo_url:
            log.warning(
                "[komodo] url changed: restart komodo-guard watch to read the new Core"
            )
        try:
            self._watcher.apply(
                settings,
                CoreCheck(self._client, self._live, settings),
                _pinger(settings),
            )
        except WatchStateError as error:
            log.error("configuration not reloaded, the old one stays: %s", error)
            return
        log.info("configuration reloaded", extra={"fields": {"event": "reload"}})


class CoreCheck:
    """One cycle's checks: Core (with the tree of ``[watch] lint`` to compare
    with), the host when ``[watch] host`` is on, the lint of that tree."""

    def __init__(
        self, client: CoreClient, live: LiveOptions, settings: WatchSettings
    ) -> None:
        self._client = client
        self._live = live
        self._settings = settings

    def __call__(self) -> Observation:
        config = self._settings.config
        workspace, findings = self._lint(config)
        try:
            read = read_core(self._client, self._live)
        except CoreUnavailableError as error:
            found = findings + self._host(config, None, workspace)
            return Observation(tuple(found), checked=False, reason=str(error))
        declared = workspace if workspace is not None and workspace.resources else None
        findings += live_findings(read, declared, config)
        findings += self._host(config, read.snapshot, workspace)
        return Observation(tuple(findings), snapshot=read.snapshot)

    def _lint(self, config: Config) -> tuple[Workspace | None, list[Finding]]:
        tree = self._settings.lint
        if tree is None:
            return None, []
        from komodo_guard.cli.run import lint_tree

        if not tree.is_dir():
            return None, [_incomplete(f"could not lint {tree}: not a folder")]
        try:
            checked = lint_tree(tree, config, None)
        except UsageError as error:
            return None, [_incomplete(f"could not lint {tree}: {error}")]
        return checked.workspace, list(checked.result.findings)

    def _host(
        self,
        config: Config,
        snapshot: LiveSnapshot | None,
        workspace: Workspace | None,
    ) -> list[Finding]:
        if not self._settings.host:
            return []
        from komodo_guard.cli.host import env_files, host_findings
        from komodo_guard.host.collect import HostOptions, collect_host
        from komodo_guard.rules.interface import HostFacts

        files = env_files(workspace) if workspace is not None else {}
        options = HostOptions(
            root=config.periphery_root,
            docker_socket=config.docker_socket,
            env_files=files,
        )
        state = collect_host(options)
        return host_findings(HostFacts(state, snapshot, workspace), config)


def _incomplete(message: str) -> Finding:
    return Finding(
        code="KG000",
        name="check-incomplete",
        severity=Severity.ERROR,
        failure_class=FailureClass.INCOMPLETE,
        message=f"{message}; the checks that need it did not happen",
    )
