"""Rules over resource tables against the Komodo model (keys, types, enums,
versions, required keys); RULES lists this group's rules in code order."""

from komodo_guard.rules.interface import RuleInfo
from komodo_guard.rules.resources import (
    field_not_in_version,
    invalid_enum,
    missing_required,
    unknown_key,
    unknown_table,
    wrong_type,
)

RULES: tuple[RuleInfo, ...] = (
    unknown_table.RULE,
    unknown_key.RULE,
    wrong_type.RULE,
    invalid_enum.RULE,
    field_not_in_version.RULE,
    missing_required.RULE,
)
