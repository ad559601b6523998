"""Keyed fingerprints: equal values match under one key, never across keys."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from komodo_guard.live.fingerprint import KEY_BYTES, fingerprint, new_key


@given(value=st.text(min_size=1))
def test_same_key_same_value_same_fingerprint(value: str) -> None:
    key = b"x" * KEY_BYTES
    assert fingerprint(key, value) == fingerprint(key, value)
    assert len(fingerprint(key, value)) == 64


def test_different_values_or_keys_differ() -> None:
    key = new_key()
    assert len(key) == KEY_BYTES
    assert fingerprint(key, "a") != fingerprint(key, "b")
    assert fingerprint(key, "a") != fingerprint(new_key(), "a")
