"""An Action: a TypeScript script run by Core (``entities/action.rs``)."""

from komodo_guard.komodo.decl import kind
from komodo_guard.komodo.spec import BOOL, ENUM, STRING, field

ACTION = kind(
    "action",
    (
        field("run_at_startup", BOOL, False, since="1.19.0"),
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
        field("reload_deno_deps", BOOL, False, since="1.17.5"),
        field("file_contents", STRING, "", multiline=True),
        field("arguments_format", ENUM, "key_value", enum="FileFormat", since="1.19.0"),
        field("arguments", STRING, "", multiline=True, since="1.19.0"),
    ),
)
