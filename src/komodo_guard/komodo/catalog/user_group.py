"""A user group (``UserGroupToml`` in ``entities/toml.rs``); not a resource,
so its fields sit on the entry itself."""

from komodo_guard.komodo.catalog.common import RESOURCE_TARGET_VARIANTS
from komodo_guard.komodo.decl import kind
from komodo_guard.komodo.spec import (
    ANY_KIND,
    ARRAY,
    BOOL,
    ENUM,
    MAP,
    PATTERN,
    PERMISSION,
    STRING,
    STRING_ARRAY,
    TABLE,
    TAGGED_ENUM,
    USERNAME,
    field,
)

USER_GROUP = kind(
    "user_group",
    (
        field("name", STRING, required=True),
        field("everyone", BOOL, False, since="1.18.0"),
        field("users", STRING_ARRAY, [], ref="user", ref_by=USERNAME),
        field(
            "all",
            MAP,
            {},
            key_enum="ResourceTargetVariant",
            value=field(
                "value",
                PERMISSION,
                fields=(
                    field(
                        "level", ENUM, "None", enum="PermissionLevel", since="1.18.0"
                    ),
                    field(
                        "specific",
                        ARRAY,
                        [],
                        enum="SpecificPermission",
                        items=ENUM,
                        since="1.18.0",
                    ),
                ),
            ),
            revised="1.18.0",
            before=field(
                "all",
                MAP,
                {},
                key_enum="ResourceTargetVariant",
                value=field("value", ENUM, enum="PermissionLevel"),
            ),
        ),
        field(
            "permissions",
            ARRAY,
            [],
            aliases=("permission",),
            items=TABLE,
            fields=(
                field(
                    "target",
                    TAGGED_ENUM,
                    required=True,
                    ref=ANY_KIND,
                    ref_by=PATTERN,
                    enum="ResourceTarget",
                    content="id",
                    content_type=STRING,
                    variants=RESOURCE_TARGET_VARIANTS,
                ),
                field(
                    "level",
                    ENUM,
                    "None",
                    enum="PermissionLevel",
                    revised="1.18.0",
                    before=field("level", ENUM, required=True, enum="PermissionLevel"),
                ),
                field(
                    "specific",
                    ARRAY,
                    [],
                    enum="SpecificPermission",
                    items=ENUM,
                    since="1.18.0",
                ),
            ),
        ),
    ),
    has_config=False,
)
