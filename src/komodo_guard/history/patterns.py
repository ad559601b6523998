"""What in a failed Update's log decides its incident kind: a table of patterns.

Each row names a kind, the log field it is searched in (the stage name, the
command, or the text the command printed) and a regular expression; a row
may be limited to some stages. When several rows match, the kind that comes
first in :data:`PRECEDENCE` wins: a precise cause (``git pull`` refused by
untracked files, a database refusing its password) beats the stage it
happened in (``Pre Deploy``, ``Compose Up``), which beats the operation
(``RunSync``). The comments name the file each text comes from: Komodo's
own (``moghtech/komodo``) or the tool Komodo ran (git, Docker, a database).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from komodo_guard.history.model import IncidentKind as K


class Field(enum.Enum):
    """The part of a log a pattern is searched in."""

    STAGE = "stage"
    COMMAND = "command"
    TEXT = "text"
    """``stderr``, then ``stdout`` when ``stderr`` decided nothing."""


@dataclass(frozen=True)
class Pattern:
    """One row: ``regex`` found in ``field`` means ``kind``.

    ``stages``, when set, is a regular expression the log's stage must match
    (case-insensitively) for the row to count.
    """

    kind: K
    field: Field
    regex: str
    stages: str | None = None


PRECEDENCE: tuple[K, ...] = (
    K.GIT_PULL_BLOCKED,
    K.GIT,
    K.REGISTRY_AUTH,
    K.DATABASE_AUTH,
    K.MISSING_FILES,
    K.IMAGE_PULL,
    K.PRE_DEPLOY,
    K.POST_DEPLOY,
    K.COMPOSE,
    K.SYNC,
    K.PROCEDURE,
    K.OTHER,
)
"""Kinds from the most to the least precise cause."""

# Operations whose own failure is always of one kind, whatever their log says:
# a procedure or action fails because a step failed, and that step's Update
# is classified on its own (bin/core/src/helpers/procedure.rs); an action's
# script prints what it likes (bin/core/src/api/execute/action.rs).
FIXED_KIND: dict[str, K] = {
    "RunProcedure": K.PROCEDURE,
    "RunAction": K.PROCEDURE,
}

# The kind of a failed operation whose log decided nothing (or was not read).
OPERATION_KIND: dict[str, K] = {
    **FIXED_KIND,
    "RunSync": K.SYNC,
    "CommitSync": K.SYNC,
    "WriteSyncContents": K.SYNC,
}

_GIT_STAGES = (
    r"git (?:pull|fetch|init)|clone repo|set git remote|checkout branch"
    r"|add git remote|set branch|set commit|missing git token"
)
_COMPOSE_STAGES = r"compose (?:up|config|pull|build|down|run|command)|write stack"
_FILE_STAGES = _COMPOSE_STAGES + r"|validate files|read compose file|docker run"

PATTERNS: tuple[Pattern, ...] = (
    # git refusing to pull over files on the host (git's merge/rebase
    # messages; Komodo's "Git pull" stage runs `git pull --rebase --force`,
    # lib/git/src/pull.rs).
    Pattern(
        K.GIT_PULL_BLOCKED,
        Field.TEXT,
        r"untracked working tree files would be (?:overwritten|removed)",
    ),
    Pattern(
        K.GIT_PULL_BLOCKED,
        Field.TEXT,
        r"Your local changes to the following files would be overwritten",
    ),
    Pattern(
        K.GIT_PULL_BLOCKED,
        Field.TEXT,
        r"cannot pull with rebase: (?:You have unstaged changes"
        r"|Your index contains uncommitted changes)",
    ),
    # Other git failures (git's messages; stages from lib/git/src/pull.rs,
    # clone.rs, init.rs; token lookups in bin/periphery/src/stack/write.rs and
    # bin/core/src/sync/remote.rs).
    Pattern(K.GIT, Field.TEXT, r"Authentication failed for '"),
    Pattern(K.GIT, Field.TEXT, r"could not read (?:Username|Password) for '"),
    Pattern(K.GIT, Field.TEXT, r"unable to access '[^']*': "),
    Pattern(K.GIT, Field.TEXT, r"Could not resolve host: ", stages=_GIT_STAGES),
    Pattern(K.GIT, Field.TEXT, r"couldn't find remote ref "),
    Pattern(K.GIT, Field.TEXT, r"Remote branch \S+ not found in upstream"),
    Pattern(K.GIT, Field.TEXT, r"Repository not found\."),
    Pattern(K.GIT, Field.TEXT, r"Permission denied \(publickey"),
    Pattern(K.GIT, Field.TEXT, r"detected dubious ownership in repository"),
    Pattern(K.GIT, Field.TEXT, r"not a git repository"),
    Pattern(K.GIT, Field.TEXT, r"Failed to get git token"),
    Pattern(K.GIT, Field.TEXT, r"failed to find required git token"),
    Pattern(K.GIT, Field.TEXT, r"Repo clone / pull failed"),
    Pattern(K.GIT, Field.STAGE, _GIT_STAGES),
    Pattern(K.GIT, Field.COMMAND, r"^git (?:pull|clone|fetch|checkout|remote)\b"),
    # Registry logins refused (Docker's daemon and registries' answers;
    # stages "Login to Registry" in bin/periphery/src/stack/mod.rs and
    # "Docker Login" in bin/periphery/src/api/container/run.rs).
    Pattern(K.REGISTRY_AUTH, Field.TEXT, r"unauthorized: authentication required"),
    Pattern(K.REGISTRY_AUTH, Field.TEXT, r"unauthorized: incorrect username"),
    Pattern(K.REGISTRY_AUTH, Field.TEXT, r"no basic auth credentials"),
    # Docker Hub adds this to "pull access denied" too: then it is image-pull.
    Pattern(
        K.REGISTRY_AUTH,
        Field.TEXT,
        r"(?<!may require 'docker login': )"
        r"denied: requested access to the resource is denied",
    ),
    Pattern(K.REGISTRY_AUTH, Field.TEXT, r"Failed to login to (?:image|docker) regis"),
    Pattern(K.REGISTRY_AUTH, Field.TEXT, r"Failed to get registry token"),
    Pattern(K.REGISTRY_AUTH, Field.TEXT, r"/v2/[^\"]*\": (?:unauthorized|denied)"),
    Pattern(K.REGISTRY_AUTH, Field.STAGE, r"login to registry|docker login"),
    # Databases refusing credentials, printed by whatever the stage ran:
    # PostgreSQL, MySQL/MariaDB, MongoDB drivers, Redis.
    Pattern(K.DATABASE_AUTH, Field.TEXT, r"password authentication failed for user"),
    Pattern(K.DATABASE_AUTH, Field.TEXT, r"Access denied for user '"),
    Pattern(K.DATABASE_AUTH, Field.TEXT, r"Authentication failed\."),  # Mongo
    Pattern(K.DATABASE_AUTH, Field.TEXT, r"codeName: 'AuthenticationFailed'"),
    Pattern(
        K.DATABASE_AUTH,
        Field.TEXT,
        r"\bSCRAM(?:-SHA-\d+)? (?:failure|authentication)",
    ),
    Pattern(K.DATABASE_AUTH, Field.TEXT, r"\bWRONGPASS\b"),  # Redis
    Pattern(K.DATABASE_AUTH, Field.TEXT, r"\bNOAUTH Authentication"),
    # Files the deploy needs are missing: Komodo's own check
    # (bin/periphery/src/stack/mod.rs "Validate Files", bin/periphery/src/api/
    # compose.rs "Missing compose file at") and docker compose's messages.
    Pattern(K.MISSING_FILES, Field.STAGE, r"validate files"),
    Pattern(K.MISSING_FILES, Field.TEXT, r"Missing files: "),
    Pattern(K.MISSING_FILES, Field.TEXT, r"Missing compose file at "),
    Pattern(K.MISSING_FILES, Field.TEXT, r"env file \S+ not found"),
    Pattern(K.MISSING_FILES, Field.TEXT, r"couldn't find env file"),
    Pattern(K.MISSING_FILES, Field.TEXT, r"no configuration file provided: not found"),
    Pattern(K.MISSING_FILES, Field.TEXT, r"bind source path does not exist"),
    Pattern(
        K.MISSING_FILES,
        Field.TEXT,
        r"[Nn]o such file or directory",
        stages=_FILE_STAGES,
    ),
    # Images that cannot be pulled (Docker's daemon and registries).
    Pattern(K.IMAGE_PULL, Field.TEXT, r"pull access denied for "),
    Pattern(K.IMAGE_PULL, Field.TEXT, r"manifest unknown"),
    Pattern(K.IMAGE_PULL, Field.TEXT, r"\btoomanyrequests\b"),
    Pattern(K.IMAGE_PULL, Field.TEXT, r"no matching manifest for "),
    Pattern(K.IMAGE_PULL, Field.TEXT, r"failed to resolve reference "),
    Pattern(K.IMAGE_PULL, Field.TEXT, r"Error response from daemon: Get \"https://"),
    Pattern(K.IMAGE_PULL, Field.TEXT, r"error pulling image configuration"),
    Pattern(K.IMAGE_PULL, Field.STAGE, r"pull image"),
    # The stack's own hooks (bin/periphery/src/api/compose.rs).
    Pattern(K.PRE_DEPLOY, Field.STAGE, r"pre deploy"),
    Pattern(K.POST_DEPLOY, Field.STAGE, r"post deploy"),
    # docker compose itself (compose's and the daemon's messages; stages in
    # bin/periphery/src/api/compose.rs).
    Pattern(K.COMPOSE, Field.TEXT, r"port is already allocated"),
    Pattern(K.COMPOSE, Field.TEXT, r"address already in use"),
    Pattern(K.COMPOSE, Field.TEXT, r"\byaml: (?:line \d+|unmarshal errors)"),
    Pattern(K.COMPOSE, Field.TEXT, r"Additional property \S+ is not allowed"),
    Pattern(K.COMPOSE, Field.TEXT, r"dependency failed to start"),
    Pattern(K.COMPOSE, Field.TEXT, r"\bis unhealthy\b"),
    Pattern(K.COMPOSE, Field.TEXT, r"Conflict\. The container name \S+ is already"),
    Pattern(K.COMPOSE, Field.TEXT, r"invalid interpolation format"),
    Pattern(K.COMPOSE, Field.TEXT, r"Failed to take down existing compose stack"),
    Pattern(K.COMPOSE, Field.STAGE, _COMPOSE_STAGES + r"|parse compose services"),
    # ResourceSync runs (bin/core/src/api/execute/sync.rs, bin/core/src/sync/
    # file.rs, remote.rs, execute.rs "Update <Type>s", deploy.rs "Sync Deploy").
    Pattern(K.SYNC, Field.TEXT, r"Found file errors\. Cannot execute sync"),
    Pattern(K.SYNC, Field.TEXT, r"[Ff]ailed to read resources from"),
    Pattern(K.SYNC, Field.TEXT, r"failed to parse resource file contents"),
    Pattern(K.SYNC, Field.TEXT, r"TOML parse error"),  # the toml crate
    Pattern(K.SYNC, Field.TEXT, r"Resoure path \S+ does not exist"),
    Pattern(K.SYNC, Field.TEXT, r"failed to get remote resources"),
    Pattern(
        K.SYNC,
        Field.STAGE,
        r"read remote resources|sync deploy|(?:create|update|delete) \w+s",
    ),
)
"""Every pattern, grouped by kind; order inside a field only breaks ties."""
