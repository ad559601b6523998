"""A SecretValue shows nothing however it is printed, and refuses pickling."""

from __future__ import annotations

import logging
import pickle

import pytest

from komodo_guard.secrets.value import MASK, SecretValue

TEXT = "correct-horse-battery-staple"


def test_every_way_of_showing_it_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    value = SecretValue(TEXT)
    shown = [str(value), repr(value), f"{value}", f"{value!r}", f"{value:>20}"]
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("t").warning("value %s in %r", value, [value])
    assert all(text == MASK for text in shown)
    assert TEXT not in caplog.text
    assert value.reveal() == TEXT


def test_no_pickle_no_hash_no_equality() -> None:
    value = SecretValue(TEXT)
    with pytest.raises(TypeError):
        pickle.dumps(value)
    with pytest.raises(TypeError):
        hash(value)
    assert value != SecretValue(TEXT)
    assert len(value) == len(TEXT)
    assert value
    assert not SecretValue("")
