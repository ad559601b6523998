"""The host's facts, collected once and handed frozen to the host rules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HostState:
    """Everything the host collectors found on one machine."""

    hostname: str
