"""An Alerter: where alerts are sent (``entities/alerter.rs``)."""

from komodo_guard.komodo.catalog.common import (
    MAINTENANCE_WINDOW,
    RESOURCE_TARGET_VARIANTS,
)
from komodo_guard.komodo.decl import kind
from komodo_guard.komodo.spec import (
    ANY_KIND,
    ARRAY,
    BOOL,
    BY_ID,
    ENUM,
    STRING,
    TABLE,
    TAGGED_ENUM,
    field,
)

ALERTER = kind(
    "alerter",
    (
        field("enabled", BOOL, False),
        field(
            "endpoint",
            TAGGED_ENUM,
            {"type": "Custom", "params": {"url": "http://localhost:7000"}},
            enum="AlerterEndpoint",
            variants={
                "Custom": (field("url", STRING, "http://localhost:7000"),),
                "Slack": (
                    field(
                        "url",
                        STRING,
                        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                    ),
                ),
                "Discord": (
                    field(
                        "url",
                        STRING,
                        "https://discord.com/api/webhooks/XXXXXXXXXXXX/XXXX-XXXXXXXXXX",
                    ),
                ),
                "Ntfy": (
                    field("url", STRING, "http://localhost:8080/komodo"),
                    field("email", STRING, since="1.18.0"),
                ),
                "Pushover": (
                    field(
                        "url",
                        STRING,
                        "https://api.pushover.net/1/messages.json?token=XXXXXXXXXXXXX&user=XXXXXXXXXXXXX",
                    ),
                ),
            },
        ),
        field("alert_types", ARRAY, [], enum="AlertDataVariant", items=ENUM),
        field(
            "resources",
            ARRAY,
            [],
            ref=ANY_KIND,
            ref_by=BY_ID,
            enum="ResourceTarget",
            items=TAGGED_ENUM,
            content="id",
            content_type=STRING,
            variants=RESOURCE_TARGET_VARIANTS,
        ),
        field(
            "except_resources",
            ARRAY,
            [],
            ref=ANY_KIND,
            ref_by=BY_ID,
            enum="ResourceTarget",
            items=TAGGED_ENUM,
            content="id",
            content_type=STRING,
            variants=RESOURCE_TARGET_VARIANTS,
        ),
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
