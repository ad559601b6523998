"""Keyed fingerprints: compare secret values without keeping them.

A fingerprint is HMAC-SHA256 of the value under a key that is random per run
and lives in memory only, so a fingerprint proves equality within one run and
reveals nothing once the run ends.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_BYTES = 32


def new_key() -> bytes:
    """A fresh random fingerprint key for this run; never write it anywhere."""
    return secrets.token_bytes(KEY_BYTES)


def fingerprint(key: bytes, value: str) -> str:
    """The hex HMAC-SHA256 of ``value`` under ``key``."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
