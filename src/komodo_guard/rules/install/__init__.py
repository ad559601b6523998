"""Rules over Komodo's own install files: compose.env, Core and Periphery
compose services, the database beside them, and Core's config file."""

from komodo_guard.rules.install import (
    core_host,
    db_init_credentials,
    db_password_url,
    open_registration,
    periphery_env_file,
    placeholder_secret,
    poll_interval,
    transparent_mode,
    ui_write_disabled,
    v1_passkey,
)
from komodo_guard.rules.interface import RuleInfo

RULES: tuple[RuleInfo, ...] = (
    placeholder_secret.RULE,
    ui_write_disabled.RULE,
    periphery_env_file.RULE,
    poll_interval.RULE,
    core_host.RULE,
    open_registration.RULE,
    transparent_mode.RULE,
    db_password_url.RULE,
    db_init_credentials.RULE,
    v1_passkey.RULE,
)
