"""What each incident kind means for an operator: a title, the usual root
cause and the fix that keeps it from coming back.

The audit's taxonomy table and its kind -> cause -> fix diagram are written
from this table; every :class:`IncidentKind` has an entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from komodo_guard.history.model import IncidentKind as K


@dataclass(frozen=True)
class KindText:
    """``title`` names the kind; ``cause`` is what usually lies behind it;
    ``fix`` is the durable remedy, not the one-off workaround."""

    title: str
    cause: str
    fix: str


KIND_TEXT: Mapping[K, KindText] = MappingProxyType(
    {
        K.GIT_PULL_BLOCKED: KindText(
            title="git pull blocked on the host",
            cause=(
                "a file created on the host inside the checkout (an untracked "
                "compose override, a data folder, the .env Komodo writes) "
                "collides with a file added in git, or a tracked file was "
                "edited in place"
            ),
            fix=(
                "keep runtime files out of the checkout (volumes, a separate "
                "folder) or gitignore them; komodo-guard host finds collisions "
                "before they happen"
            ),
        ),
        K.GIT: KindText(
            title="git clone or pull failed",
            cause=(
                "the git token expired or lost access, the repository or branch "
                "was renamed, or the host cannot reach the git server"
            ),
            fix=(
                "use a long-lived deploy token held in Komodo's git accounts, "
                "declare repo and branch in the resource TOML and alert on the "
                "first failed pull"
            ),
        ),
        K.DATABASE_AUTH: KindText(
            title="database refused its credentials",
            cause=(
                "the password was changed in the environment after the database "
                "volume was initialised; the database still holds the old one"
            ),
            fix=(
                "change the password inside the database first, then in the "
                "environment, from one secret source; komodo-guard secrets check "
                "compares every copy"
            ),
        ),
        K.REGISTRY_AUTH: KindText(
            title="image registry refused the login",
            cause=(
                "the registry token expired or was revoked, or the stack names "
                "a registry account Komodo does not have"
            ),
            fix=(
                "store a registry token with no expiry (or a rotation reminder) "
                "in Komodo's registry accounts and reference it by name"
            ),
        ),
        K.IMAGE_PULL: KindText(
            title="image could not be pulled",
            cause=(
                "the tag does not exist (typo, removed, wrong platform), Docker "
                "Hub's pull rate limit was hit, or the registry was unreachable"
            ),
            fix=(
                "pin existing tags (or digests), log in to Docker Hub to lift "
                "the rate limit, and mirror images you cannot lose"
            ),
        ),
        K.MISSING_FILES: KindText(
            title="files the deploy needs are missing",
            cause=(
                "a compose file, env file or bind-mount source named by the "
                "stack is not at that path: moved or renamed in git, gitignored, "
                "or only ever created by hand on one host"
            ),
            fix=(
                "declare every file the stack needs in git (or in Komodo's "
                "environment) at the path the TOML names; komodo-guard lint "
                "checks the paths"
            ),
        ),
        K.PRE_DEPLOY: KindText(
            title="pre-deploy command failed",
            cause=(
                "the stack's pre_deploy command relies on something the host "
                "does not have: a tool, a path, a running service"
            ),
            fix=(
                "keep pre_deploy idempotent and self-contained, or move the step "
                "into a container of the stack"
            ),
        ),
        K.POST_DEPLOY: KindText(
            title="post-deploy command failed",
            cause=(
                "the stack's post_deploy command ran before the services were "
                "ready, or depends on host state that changed"
            ),
            fix=(
                "wait on health checks (depends_on: condition: service_healthy) "
                "instead of timing, and make the command safe to repeat"
            ),
        ),
        K.COMPOSE: KindText(
            title="docker compose failed",
            cause=(
                "the compose file is invalid, a port is taken by another "
                "container, or a service dependency never became healthy"
            ),
            fix=(
                "validate compose files in CI (komodo-guard lint), give each "
                "port one owner, and fix the failing health check"
            ),
        ),
        K.SYNC: KindText(
            title="ResourceSync failed",
            cause=(
                "a resource file does not parse or a resource_path does not "
                "exist, so Komodo refuses to apply any of the sync"
            ),
            fix=(
                "lint the resource TOML in CI before merging (komodo-guard lint) "
                "and alert on the sync's failed state"
            ),
        ),
        K.PROCEDURE: KindText(
            title="procedure or action failed",
            cause=(
                "one of its executions failed (see that Update's own kind), or "
                "the action's script threw"
            ),
            fix=(
                "fix the failing step's own cause; enable the ProcedureFailed "
                "and ActionFailed alerts so a scheduled run cannot fail silently"
            ),
        ),
        K.OTHER: KindText(
            title="other failure",
            cause=(
                "the failed update's log matched none of the known patterns (the "
                "history keeps example lines), or its log was not read and "
                "nothing could be inferred: the audit says how many of each"
            ),
            fix=(
                "read the examples and the unread failures' logs in Komodo, fix "
                "the cause, and report a new pattern so a kind can be added"
            ),
        ),
    }
)
