"""Rules over wiring and lifecycle: lifecycle commands, procedure order,
webhooks, syncs that never run, alerters; RULES lists them in code order."""

from komodo_guard.rules.interface import RuleInfo
from komodo_guard.rules.wiring import (
    alerter_coverage,
    alerter_targets,
    deploy_before_sync,
    pre_deploy_file,
    stage_race,
    sync_never_runs,
    webhook_disabled,
)

RULES: tuple[RuleInfo, ...] = (
    pre_deploy_file.RULE,
    alerter_coverage.RULE,
    alerter_targets.RULE,
    deploy_before_sync.RULE,
    stage_race.RULE,
    webhook_disabled.RULE,
    sync_never_runs.RULE,
)
