"""Rules over field contents (interpolation, env blocks, schedules, secrets);
RULES lists this group's rules in code order."""

from komodo_guard.rules.content import (
    compose_command,
    env_block,
    interpolation_unbalanced,
    not_enabled,
    plaintext_secret,
    schedule_format,
    stray_secret,
    sync_include_flags,
    triple_quote_backslash,
    undeclared_variable,
)
from komodo_guard.rules.interface import RuleInfo

RULES: tuple[RuleInfo, ...] = (
    interpolation_unbalanced.RULE,
    undeclared_variable.RULE,
    compose_command.RULE,
    env_block.RULE,
    triple_quote_backslash.RULE,
    sync_include_flags.RULE,
    schedule_format.RULE,
    not_enabled.RULE,
    plaintext_secret.RULE,
    stray_secret.RULE,
)
