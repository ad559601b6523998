"""A ResourceSync: resource TOML applied from git, host files or the UI
(``entities/sync.rs``)."""

from komodo_guard.komodo.decl import kind
from komodo_guard.komodo.spec import BOOL, NAME_OR_ID, STRING, STRING_LIST, field

RESOURCE_SYNC = kind(
    "resource_sync",
    (
        field("linked_repo", STRING, "", ref="repo", ref_by=NAME_OR_ID, since="1.18.2"),
        field("git_provider", STRING, "github.com"),
        field("git_https", BOOL, True),
        field("repo", STRING, ""),
        field("branch", STRING, "main"),
        field("commit", STRING, ""),
        field("git_account", STRING, ""),
        field("webhook_enabled", BOOL, True),
        field("webhook_secret", STRING, ""),
        field("files_on_host", BOOL, False),
        field("resource_path", STRING_LIST, [], path=True),
        field("managed", BOOL, False),
        field("delete", BOOL, False),
        field("include_resources", BOOL, True, since="1.17.0"),
        field("match_tags", STRING_LIST, []),
        field("include_variables", BOOL, False, since="1.17.0"),
        field("include_user_groups", BOOL, False, since="1.17.0"),
        field("pending_alert", BOOL, True, since="1.17.2"),
        field("file_contents", STRING, "", multiline=True),
    ),
)
