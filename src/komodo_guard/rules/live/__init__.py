"""Live rules: what Komodo Core reports, against what git declares."""

from komodo_guard.rules.interface import LiveRuleInfo

RULES: tuple[LiveRuleInfo, ...] = ()
