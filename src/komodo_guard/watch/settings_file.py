"""From ``komodo-guard.toml`` to what the watcher runs with.

:func:`watch_settings` turns the checked :class:`~komodo_guard.config.Config`
(its ``[watch]`` and ``[[notify.channel]]`` tables) into
:class:`WatchSettings`: the :class:`~.settings.Policy`, the state and outbox
files, the status server's address and token, the heartbeat, the channels.
Relative paths are taken from the config file's folder (the current folder
when there is no file). The status token is read from its environment
variable here, once; the heartbeat URL is kept as a
:class:`~komodo_guard.notify.interface.Secret` and read at each ping.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from komodo_guard.config import ENV_PREFIX, Config
from komodo_guard.notify.interface import Channel, Secret
from komodo_guard.rules.interface import Severity
from komodo_guard.watch.settings import Policy, Reminders

STATE_FILE = "watch.sqlite"
OUTBOX_FILE = "outbox.sqlite"


class WatchSettingsError(ValueError):
    """The settings cannot work as given (a token variable is unset)."""


@dataclass(frozen=True)
class HeartbeatSettings:
    """The dead man's switch: where to ping and how long a ping may take."""

    url: Secret
    timeout: timedelta


@dataclass(frozen=True)
class WatchSettings:
    """Everything one run of the watcher needs from its configuration."""

    config: Config
    interval: timedelta
    cycle_timeout: timedelta
    state_path: Path
    outbox_path: Path
    policy: Policy
    channels: tuple[Channel, ...] = ()
    listen: tuple[str, int] | None = None
    status_token: str | None = None
    heartbeat: HeartbeatSettings | None = None
    host: bool = False
    lint: Path | None = None

    @property
    def fail_on(self) -> Severity:
        """The lowest severity that makes ``watch --once`` exit with 1."""
        return self.config.fail_on


def watch_settings(config: Config, environ: Mapping[str, str]) -> WatchSettings:
    """The watcher's settings from ``config``; ``environ`` holds the status
    token's variable."""
    watch = config.watch
    base = Path(config.source).parent if config.source else Path.cwd()
    folder = base / watch.state_dir if watch.state_dir else base
    reminders = watch.reminders
    policy = Policy(
        resolve_after=watch.resolve_after,
        reminders=Reminders(
            error=reminders["error"],
            warning=reminders["warning"],
            info=reminders["info"],
        ),
        flap_limit=watch.flap_limit,
        flap_window=watch.flap_window,
        stable_after=watch.stable_after,
        cannot_check_after=watch.cannot_check_after,
        maintenance=watch.maintenance,
    )
    return WatchSettings(
        config=config,
        interval=watch.interval,
        cycle_timeout=watch.cycle_timeout,
        state_path=folder / STATE_FILE,
        outbox_path=folder / OUTBOX_FILE,
        policy=policy,
        channels=_channels_ready(config.channels, environ),
        listen=watch.listen,
        status_token=_token(watch.status_token, environ),
        heartbeat=_heartbeat(watch.heartbeat, watch.heartbeat_timeout),
        host=watch.host,
        lint=base / watch.lint if watch.lint else None,
    )


def _channels_ready(
    channels: tuple[Channel, ...], environ: Mapping[str, str]
) -> tuple[Channel, ...]:
    """``channels``, once every ``env:`` secret they name is set: an unset one
    would fail every delivery, so it stops the start (or a reload) instead."""
    for channel in channels:
        for field in dataclasses.fields(channel):  # type: ignore[arg-type]
            value = getattr(channel, field.name)
            unset = (
                isinstance(value, Secret)
                and value.variable
                and not environ.get(value.variable)
            )
            if unset:
                raise WatchSettingsError(
                    f"[[notify.channel]] {channel.name!r}: `{field.name}` names "
                    f"the environment variable {value.variable}, which is not "
                    "set: export it where komodo-guard watch runs"
                )
    return channels


def _token(variable: str | None, environ: Mapping[str, str]) -> str | None:
    if variable is None:
        return None
    value = environ.get(variable, "")
    if not value:
        raise WatchSettingsError(
            f"[watch] status_token names the environment variable {variable}, "
            "which is not set: export it (the status page and /metrics then "
            "need it), or remove status_token"
        )
    return value


def _heartbeat(raw: str | None, timeout: timedelta) -> HeartbeatSettings | None:
    if raw is None:
        return None
    if raw.startswith(ENV_PREFIX):
        return HeartbeatSettings(Secret("", raw.removeprefix(ENV_PREFIX)), timeout)
    return HeartbeatSettings(Secret(raw), timeout)
