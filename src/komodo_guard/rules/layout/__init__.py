"""Rules over paths and sync layout (files a resource needs, what a sync reads)."""

from komodo_guard.rules.interface import RuleInfo
from komodo_guard.rules.layout import (
    deploy_command,
    host_path,
    missing_file,
    not_compose_file,
    sync_managed_paths,
    sync_match_tags,
    sync_path_missing,
    sync_root_path,
    sync_self,
    unquoted_path,
)

RULES: tuple[RuleInfo, ...] = (
    missing_file.RULE,
    not_compose_file.RULE,
    host_path.RULE,
    deploy_command.RULE,
    unquoted_path.RULE,
    sync_root_path.RULE,
    sync_managed_paths.RULE,
    sync_path_missing.RULE,
    sync_self.RULE,
    sync_match_tags.RULE,
)
