"""Rules over compose files the tree holds or its Stacks deploy."""

from komodo_guard.rules.compose import (
    config_not_tracked,
    docker_socket,
    env_file_missing,
    healthcheck_missing,
    image_latest,
    invalid_yaml,
    plaintext_secret,
    ports_all_interfaces,
    privileged,
    schema,
    unset_variable,
)
from komodo_guard.rules.interface import RuleInfo

RULES: tuple[RuleInfo, ...] = (
    invalid_yaml.RULE,
    schema.RULE,
    unset_variable.RULE,
    docker_socket.RULE,
    privileged.RULE,
    image_latest.RULE,
    ports_all_interfaces.RULE,
    plaintext_secret.RULE,
    healthcheck_missing.RULE,
    config_not_tracked.RULE,
    env_file_missing.RULE,
)
