"""Words for incident kinds and failed work, shared by the history rules."""

from __future__ import annotations

from komodo_guard.history.model import IncidentKind, Outage

CAUSES = {
    IncidentKind.GIT_PULL_BLOCKED: "git pull blocked by untracked files",
    IncidentKind.GIT: "a git error",
    IncidentKind.DATABASE_AUTH: "database authentication failed",
    IncidentKind.REGISTRY_AUTH: "the image registry refused the login",
    IncidentKind.IMAGE_PULL: "an image could not be pulled",
    IncidentKind.MISSING_FILES: "files the deploy needs are missing",
    IncidentKind.PRE_DEPLOY: "the pre_deploy command failed",
    IncidentKind.POST_DEPLOY: "the post_deploy command failed",
    IncidentKind.COMPOSE: "docker compose failed",
    IncidentKind.SYNC: "the sync could not read or apply its files",
    IncidentKind.PROCEDURE: "a stage failed",
    IncidentKind.OTHER: "an unclassified error",
}
"""What went wrong, per incident kind, as a message clause."""

FIXES = {
    IncidentKind.GIT_PULL_BLOCKED: "remove or commit the untracked files in the "
    "host's checkout (git status there), then deploy again",
    IncidentKind.GIT: "check the repository's URL, branch and the git account's "
    "token, then deploy again",
    IncidentKind.DATABASE_AUTH: "make the credentials the service uses match the "
    "ones the database was initialised with (secret Variables, env files)",
    IncidentKind.REGISTRY_AUTH: "renew the registry account's token in Komodo",
    IncidentKind.IMAGE_PULL: "check the image name and tag, and the registry's "
    "rate limits",
    IncidentKind.MISSING_FILES: "push or create the files the stack needs",
    IncidentKind.PRE_DEPLOY: "run the pre_deploy command by hand on the host and "
    "fix it",
    IncidentKind.POST_DEPLOY: "run the post_deploy command by hand on the host "
    "and fix it",
    IncidentKind.COMPOSE: "run docker compose config in the stack's folder and "
    "fix what it reports",
    IncidentKind.SYNC: "fix the file or path the sync reports, then refresh it",
    IncidentKind.PROCEDURE: "read the failing stage's Update and fix it",
    IncidentKind.OTHER: "read the failed Update's log in Komodo",
}
"""The usual fix, per incident kind."""

UNREAD_CAUSE = "cause unknown: Core's log of these failures was not read"
"""The cause clause of an outage whose failures were all classified without
their logs (older than the logs the snapshot reads)."""


def cause_of(outage: Outage) -> str:
    """What went wrong in ``outage``, honest about failures whose log was
    never read."""
    return UNREAD_CAUSE if outage.unread else CAUSES[outage.kind]


_VERBS = {
    "DeployStack": "deploy",
    "DeployStackIfChanged": "deploy",
    "Deploy": "deploy",
    "PullStack": "pull",
    "RunSync": "sync",
    "RunBuild": "build",
    "RunProcedure": "run",
    "RunAction": "run",
    "CloneRepo": "clone",
    "PullRepo": "pull",
}


def verb(operation: str) -> str:
    """``deploy`` for ``DeployStack``; the operation itself when unknown."""
    return _VERBS.get(operation, f"run {operation}")
