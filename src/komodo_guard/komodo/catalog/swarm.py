"""A Swarm: a group of servers in Docker Swarm mode (``entities/swarm.rs``)."""

from komodo_guard.komodo.catalog.common import MAINTENANCE_WINDOW
from komodo_guard.komodo.decl import kind
from komodo_guard.komodo.spec import (
    ARRAY,
    BOOL,
    NAME_OR_ID,
    STRING_ARRAY,
    STRING_LIST,
    TABLE,
    field,
)

SWARM = kind(
    "swarm",
    (
        field(
            "server_ids",
            STRING_ARRAY,
            [],
            aliases=("servers",),
            export_name="servers",
            ref="server",
            ref_by=NAME_OR_ID,
        ),
        field("links", STRING_LIST, []),
        field("send_unhealthy_alerts", BOOL, True),
        field("maintenance_windows", ARRAY, [], items=TABLE, fields=MAINTENANCE_WINDOW),
    ),
    since="2.0.0",
)
