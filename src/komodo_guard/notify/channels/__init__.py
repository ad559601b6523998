"""Every channel type, and the parser of ``[[notify.channel]]`` tables.

Each module holds one channel: its frozen configuration class, ``KEYS`` (the
keys its table may hold beside ``type``, ``name`` and ``timeout``), a
``parse(table)`` and a pure ``build`` of what goes on the wire. :data:`TYPES`
lists them by the ``type`` value that selects them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType, ModuleType
from typing import Any

from komodo_guard.notify.channels import (
    apprise,
    discord,
    gotify,
    ntfy,
    pushover,
    slack,
    smtp,
    webhook,
)
from komodo_guard.notify.interface import (
    Channel,
    ChannelTable,
    NotifyConfigError,
    ordinal,
)

TYPES: Mapping[str, ModuleType] = MappingProxyType(
    {
        "discord": discord,
        "slack": slack,
        "ntfy": ntfy,
        "gotify": gotify,
        "pushover": pushover,
        "email": smtp,
        "webhook": webhook,
        "apprise": apprise,
    }
)


def parse_channel(index: int, data: Mapping[str, Any]) -> Channel:
    """The channel one ``[[notify.channel]]`` table (at ``index``) describes."""
    if not isinstance(data, Mapping):
        raise NotifyConfigError(index, None, "must be a table")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in TYPES:
        choices = ", ".join(TYPES)
        problem = "is missing" if kind is None else f"is {kind!r}, not a channel type"
        raise NotifyConfigError(index, "type", f"{problem} (one of {choices})")
    module = TYPES[kind]
    parser: Callable[[ChannelTable], Channel] = module.parse
    return parser(ChannelTable(index, data, module.KEYS))


def parse_channels(tables: Sequence[Mapping[str, Any]]) -> tuple[Channel, ...]:
    """Every channel of the ``notify.channel`` array; names must be unique."""
    channels = tuple(parse_channel(index, data) for index, data in enumerate(tables))
    seen: dict[str, int] = {}
    for index, channel in enumerate(channels):
        if channel.name in seen:
            raise NotifyConfigError(
                index,
                "name",
                f"{channel.name!r} is already the name of "
                f"{ordinal(seen[channel.name])}: give each channel its own `name`",
            )
        seen[channel.name] = index
    return channels
