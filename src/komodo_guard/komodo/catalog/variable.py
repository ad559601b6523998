"""A Variable (``entities/variable.rs``); not a resource, so its fields sit
on the entry itself."""

from komodo_guard.komodo.decl import kind
from komodo_guard.komodo.spec import BOOL, STRING, field

VARIABLE = kind(
    "variable",
    (
        field("name", STRING, required=True),
        field("description", STRING, ""),
        field("value", STRING, ""),
        field("is_secret", BOOL, False),
    ),
    has_config=False,
)
