"""Fixtures for the Core client tests: retries keep their counts, never sleep."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stamina


@pytest.fixture(autouse=True)
def _no_retry_sleep() -> Iterator[None]:
    """Retries keep their attempt counts but never sleep."""
    with stamina.set_testing(True, attempts=100, cap=True):
        yield
