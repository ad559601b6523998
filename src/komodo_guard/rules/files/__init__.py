"""Rules over whole files (syntax, encoding, sync membership)."""

from komodo_guard.rules.files import (
    empty_file,
    merge_conflict,
    not_checked,
    not_synced,
    suppression_reason,
    syntax_error,
)
from komodo_guard.rules.interface import RuleInfo

RULES: tuple[RuleInfo, ...] = (
    syntax_error.RULE,
    merge_conflict.RULE,
    empty_file.RULE,
    not_synced.RULE,
    suppression_reason.RULE,
    not_checked.RULE,
)
