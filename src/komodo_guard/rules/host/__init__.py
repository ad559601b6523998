"""Host rules: Komodo's checkouts and the containers on one Docker host."""

from komodo_guard.rules.host import (
    detached,
    diverged,
    env_not_ignored,
    ignored_collision,
    local_edits,
    privileged,
    pull_cannot_run,
    remote_credentials,
    restart_loop,
    socket_mounted,
    unmanaged_container,
    untracked_collision,
)
from komodo_guard.rules.interface import HostRuleInfo

RULES: tuple[HostRuleInfo, ...] = (
    untracked_collision.RULE,
    ignored_collision.RULE,
    local_edits.RULE,
    diverged.RULE,
    detached.RULE,
    remote_credentials.RULE,
    env_not_ignored.RULE,
    pull_cannot_run.RULE,
    unmanaged_container.RULE,
    socket_mounted.RULE,
    privileged.RULE,
    restart_loop.RULE,
)
