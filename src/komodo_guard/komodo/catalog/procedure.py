"""A Procedure: stages of executions (``entities/procedure.rs``)."""

from komodo_guard.komodo.decl import kind
from komodo_guard.komodo.spec import (
    ARRAY,
    BOOL,
    ENUM,
    EXECUTION,
    STRING,
    TABLE,
    TAGGED_ENUM,
    field,
)

PROCEDURE = kind(
    "procedure",
    (
        field(
            "stages",
            ARRAY,
            [],
            aliases=("stage",),
            export_name="stage",
            items=TABLE,
            fields=(
                field("name", STRING, required=True),
                field("enabled", BOOL, True),
                field(
                    "executions",
                    ARRAY,
                    [],
                    aliases=("execution",),
                    items=TABLE,
                    fields=(
                        field("execution", TAGGED_ENUM, required=True, enum=EXECUTION),
                        field("enabled", BOOL, True),
                    ),
                ),
            ),
        ),
        field(
            "schedule_format", ENUM, "English", enum="ScheduleFormat", since="1.17.2"
        ),
        field("schedule", STRING, "", since="1.17.2"),
        field("schedule_enabled", BOOL, True, since="1.17.2"),
        field("schedule_timezone", STRING, "", since="1.17.2"),
        field("schedule_alert", BOOL, True, since="1.17.2"),
        field("failure_alert", BOOL, True, since="1.17.2"),
        field("webhook_enabled", BOOL, True),
        field("webhook_secret", STRING, ""),
    ),
)
