"""``komodo-guard notify test``: one test message on every configured channel.

Reads ``[[notify.channel]]`` from ``--config`` (else ``komodo-guard.toml``
in the current folder), sends the test message straight (no outbox, no
retries) and prints one line per channel: ``NAME (TYPE): delivered`` or
``NAME (TYPE): failed: reason``. Exit 0 when every channel delivered, 1 when
one failed, 2 when the config cannot be read or names no channel.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from komodo_guard.cli.main import UsageError
from komodo_guard.config import CONFIG_NAME, ConfigError, find_config, load_config
from komodo_guard.notify.interface import Delivery
from komodo_guard.notify.probe import ProbeResult, send_test


def notify_test(*, config: Path | None) -> int:
    """Send the test message on each channel; 0 all delivered, 1 some failed."""
    path = config if config is not None else find_config(Path.cwd())
    if path is None:
        raise UsageError(
            f"no {CONFIG_NAME} in the current folder: pass --config FILE with "
            "[[notify.channel]] tables"
        )
    try:
        settings = load_config(path)
    except ConfigError as error:
        raise UsageError(str(error)) from error
    if not settings.channels:
        raise UsageError(
            f"{path}: no [[notify.channel]] table: add one per destination "
            "(docs/watch.md lists every channel type)"
        )
    results = send_test(settings.channels, datetime.now(UTC))
    sys.stdout.write("".join(f"{line(result)}\n" for result in results))
    delivered = all(r.outcome.status is Delivery.DELIVERED for r in results)
    return 0 if delivered else 1


def line(result: ProbeResult) -> str:
    """``NAME (TYPE): delivered`` or ``NAME (TYPE): failed: reason``."""
    head = f"{result.channel} ({result.kind})"
    if result.outcome.status is Delivery.DELIVERED:
        return f"{head}: delivered"
    return f"{head}: failed: {result.outcome.detail or result.outcome.status.value}"
