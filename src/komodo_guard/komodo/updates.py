"""Komodo's update log as domain types: who ran what against which resource.

Every execution and every configuration change in Komodo Core leaves an
``Update``: an operation (``DeployStack``, ``UpdateStack``, ``RunSync``...), a
``ResourceTarget``, who asked for it, when it started and ended, whether it
succeeded, and for executions the log of each stage. ``ListUpdates`` returns
updates without logs; ``GetUpdate`` adds them. The live collector builds these
values, the history classifier and the live rules read them.

Operators that are not people are service users with fixed ids
(``entities/user.rs``): the sync applying git is ``RESOURCE_SYNC``.
"""

from __future__ import annotations

from dataclasses import dataclass

# Service-user ids Core stamps on updates it starts by itself (entities/user.rs).
SYSTEM = "000000000000000000000000"
PROCEDURE = "000000000000000000000001"
ACTION = "000000000000000000000002"
GIT_WEBHOOK = "000000000000000000000003"
AUTO_REDEPLOY = "000000000000000000000004"
RESOURCE_SYNC = "000000000000000000000005"
STACK_WIZARD = "000000000000000000000006"
BUILD_MANAGER = "000000000000000000000007"
REPO_MANAGER = "000000000000000000000008"

SERVICE_USERS = {
    SYSTEM: "System",
    PROCEDURE: "Procedure",
    ACTION: "Action",
    GIT_WEBHOOK: "Git Webhook",
    AUTO_REDEPLOY: "Auto Redeploy",
    RESOURCE_SYNC: "Resource Sync",
    STACK_WIZARD: "Stack Wizard",
    BUILD_MANAGER: "Build Manager",
    REPO_MANAGER: "Repo Manager",
}

# The ``ResourceTarget`` type of each resource kind, as Komodo spells both.
TARGET_TYPES = {
    "server": "Server",
    "swarm": "Swarm",
    "stack": "Stack",
    "deployment": "Deployment",
    "build": "Build",
    "repo": "Repo",
    "procedure": "Procedure",
    "action": "Action",
    "builder": "Builder",
    "alerter": "Alerter",
    "resource_sync": "ResourceSync",
}
KIND_OF_TARGET = {target: kind for kind, target in TARGET_TYPES.items()}

# Operations that change a resource's configuration (``Create*``, ``Update*``,
# ``Rename*``, ``Delete*``, ``Copy*`` of a resource), as opposed to runs.
CONFIG_PREFIXES = ("Create", "Update", "Rename", "Delete", "Copy")
NOT_CONFIG = frozenset(
    {
        # Executions on a server whose names look like config changes.
        "DeleteImage",
        "DeleteNetwork",
        "DeleteVolume",
        # Variables: values are often kept in Core on purpose, not in git.
        "CreateVariable",
        "UpdateVariableValue",
        "UpdateVariableDescription",
        "UpdateVariableIsSecret",
        "DeleteVariable",
    }
)


def is_config_change(operation: str) -> bool:
    """Whether ``operation`` edits a resource's configuration (not a run)."""
    return operation.startswith(CONFIG_PREFIXES) and operation not in NOT_CONFIG


@dataclass(frozen=True)
class Target:
    """A ``ResourceTarget``: ``kind`` as Komodo spells it (``Stack``), an id, and
    the resource's name when the collector could resolve it."""

    kind: str
    id: str
    name: str = ""

    def __str__(self) -> str:
        return f"{self.kind} {self.name or self.id}"


@dataclass(frozen=True)
class Log:
    """One stage of an Update's log, as ``GetUpdate`` returns it.

    ``stdout``/``stderr`` are what the stage printed; Komodo replaces the
    values of secret variables it interpolated, yet commands may still print
    credentials, so nothing renders these texts without redaction.
    """

    stage: str
    command: str
    stdout: str
    stderr: str
    success: bool
    start_ts: int = 0
    end_ts: int = 0


@dataclass(frozen=True)
class Update:
    """One entry of Core's update log.

    ``logs`` is empty unless the collector read this update with
    ``GetUpdate`` (it does so for failures only); ``end_ts`` is 0 then too.
    Times are Unix milliseconds, as Komodo stores them.
    """

    id: str
    operation: str
    start_ts: int
    success: bool
    status: str
    username: str
    operator: str
    target: Target
    end_ts: int = 0
    logs: tuple[Log, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether the update has finished (``status == "Complete"``)."""
        return self.status == "Complete"

    @property
    def failed(self) -> bool:
        """A finished update that did not succeed."""
        return self.complete and not self.success

    @property
    def by_service(self) -> bool:
        """Whether a service user (sync, webhook, procedure...) started it."""
        return self.operator in SERVICE_USERS
