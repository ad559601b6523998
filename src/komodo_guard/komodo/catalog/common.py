"""Fields shared by several kinds: the common ``ResourceToml`` keys and
nested tables that appear in more than one config."""

from komodo_guard.komodo.spec import (
    BOOL,
    BY_NAME,
    ENUM,
    INT,
    NAME_OR_ID,
    STRING,
    STRING_ARRAY,
    field,
)

# The keys every ``ResourceToml`` entry has (``entities/toml.rs``).
COMMON_FIELDS = (
    field("name", STRING, required=True),
    field("description", STRING, ""),
    field("template", BOOL, False, since="1.18.4"),
    field("tags", STRING_ARRAY, [], ref="tag", ref_by=NAME_OR_ID),
    field("deploy", BOOL, False),
    field("after", STRING_ARRAY, [], ref="stack|deployment", ref_by=BY_NAME),
)

MAINTENANCE_WINDOW = (
    field("name", STRING, required=True),
    field("description", STRING, ""),
    field("schedule_type", ENUM, "Daily", enum="MaintenanceScheduleType"),
    field("day_of_week", STRING, ""),
    field("date", STRING, ""),
    field("hour", INT, 0),
    field("minute", INT, 0),
    field("duration_minutes", INT, required=True),
    field("timezone", STRING, ""),
    field("enabled", BOOL, True),
)
"""A maintenance window: alerts are muted while it is open."""

SYSTEM_COMMAND = (
    field("path", STRING, "", path=True),
    field("command", STRING, "", multiline=True),
    field("shell_mode", BOOL, False, since="2.2.0"),
)
"""A command run on the host: ``{path, command, shell_mode}``."""

ENV_VARIABLE = (
    field("variable", STRING, required=True),
    field("value", STRING, required=True),
)
"""One ``{variable, value}`` table of an env block given as an array."""

PORT_OR_VOLUME = (
    field("local", STRING, required=True),
    field("container", STRING, required=True),
)
"""One ``{local, container}`` table of a ports / volumes mapping."""

IMAGE_REGISTRY = (
    field("domain", STRING, ""),
    field("account", STRING, ""),
    field("organization", STRING, ""),
)
"""An image registry: ``{domain, account, organization}``."""

PROVIDER_ACCOUNT = (
    field("username", STRING, aliases=("account",), required=True),
    field("token", STRING, ""),
)
"""An account of a git provider or image registry."""

# Where a stack or deployment runs: ``swarm`` (since 2.0.0) wins over ``server``.
SWARM_AND_SERVER = (
    field(
        "swarm_id",
        STRING,
        "",
        aliases=("swarm",),
        export_name="swarm",
        ref="swarm",
        ref_by=NAME_OR_ID,
        since="2.0.0",
    ),
    field(
        "server_id",
        STRING,
        "",
        aliases=("server",),
        export_name="server",
        ref="server",
        ref_by=NAME_OR_ID,
    ),
)

# The ``type`` values of a ResourceTarget ``{type, id}`` table.
RESOURCE_TARGET_VARIANTS = dict.fromkeys(
    (
        "System",
        "Swarm",
        "Server",
        "Stack",
        "Deployment",
        "Build",
        "Repo",
        "Procedure",
        "Action",
        "Builder",
        "Alerter",
        "ServerTemplate",
        "ResourceSync",
    ),
    (),
)
