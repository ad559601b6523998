"""A Server: a host running Periphery (``entities/server.rs``)."""

from komodo_guard.komodo.catalog.common import MAINTENANCE_WINDOW
from komodo_guard.komodo.decl import kind
from komodo_guard.komodo.spec import (
    ARRAY,
    BOOL,
    FLOAT,
    INT,
    STRING,
    STRING_LIST,
    TABLE,
    field,
)

SERVER = kind(
    "server",
    (
        field(
            "address",
            STRING,
            "",
            revised="2.0.0",
            before=field("address", STRING, "https://periphery:8120"),
        ),
        field("insecure_tls", BOOL, True, since="2.0.0"),
        field("external_address", STRING, "", since="1.19.0"),
        field("region", STRING, ""),
        field("enabled", BOOL, False),
        field("timeout_seconds", INT, 3, until="2.0.0"),
        field("auto_rotate_keys", BOOL, True, since="2.0.0"),
        field("passkey", STRING, "", since="1.17.1"),
        field("ignore_mounts", STRING_LIST, [], path=True),
        field("auto_prune", BOOL, True),
        field("links", STRING_LIST, []),
        field("stats_monitoring", BOOL, True),
        field("send_unreachable_alerts", BOOL, True),
        field("send_cpu_alerts", BOOL, True),
        field("send_mem_alerts", BOOL, True),
        field("send_disk_alerts", BOOL, True),
        field("send_version_mismatch_alerts", BOOL, True, since="1.19.1"),
        field("cpu_warning", FLOAT, 90.0),
        field("cpu_critical", FLOAT, 99.0),
        field("mem_warning", FLOAT, 75.0),
        field("mem_critical", FLOAT, 95.0),
        field("disk_warning", FLOAT, 75.0),
        field("disk_critical", FLOAT, 95.0),
        field(
            "maintenance_windows",
            ARRAY,
            [],
            items=TABLE,
            fields=MAINTENANCE_WINDOW,
            since="1.18.2",
        ),
    ),
)
