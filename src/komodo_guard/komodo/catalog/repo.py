"""A Repo: a git checkout on a server (``entities/repo.rs``)."""

from komodo_guard.komodo.catalog.common import ENV_VARIABLE, SYSTEM_COMMAND
from komodo_guard.komodo.decl import kind
from komodo_guard.komodo.spec import (
    BOOL,
    ENV_BLOCK,
    NAME_OR_ID,
    STRING,
    STRING_LIST,
    TABLE,
    field,
)

REPO = kind(
    "repo",
    (
        field(
            "server_id",
            STRING,
            "",
            aliases=("server",),
            export_name="server",
            ref="server",
            ref_by=NAME_OR_ID,
        ),
        field(
            "builder_id",
            STRING,
            "",
            aliases=("builder",),
            export_name="builder",
            ref="builder",
            ref_by=NAME_OR_ID,
        ),
        field("git_provider", STRING, "github.com"),
        field("git_https", BOOL, True),
        field("git_account", STRING, ""),
        field("repo", STRING, ""),
        field("branch", STRING, "main"),
        field("commit", STRING, ""),
        field("path", STRING, "", path=True),
        field("webhook_enabled", BOOL, True),
        field("webhook_secret", STRING, ""),
        field("on_clone", TABLE, fields=SYSTEM_COMMAND),
        field("on_pull", TABLE, fields=SYSTEM_COMMAND),
        field("links", STRING_LIST, []),
        field("environment", ENV_BLOCK, "", fields=ENV_VARIABLE),
        field("env_file_path", STRING, ".env", path=True),
        field("skip_secret_interp", BOOL, False),
    ),
)
