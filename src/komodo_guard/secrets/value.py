"""A secret value in memory: never printed, logged, pickled or compared by accident.

Every place that reads a secret wraps it in :class:`SecretValue` at once; the
only way back to the text is :meth:`SecretValue.reveal`, called where the value
must leave the process (to authenticate, to write it to its store) or be
fingerprinted. ``str``, ``repr`` and formatting show a fixed mask, so an
f-string, a log call or an exception message that mentions one shows nothing.
"""

from __future__ import annotations

from typing import NoReturn

MASK = "<secret>"


class SecretValue:
    """One secret's text, hidden from every accidental way of showing it."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def reveal(self) -> str:
        """The secret itself: only for authenticating, writing or hashing."""
        return self._text

    def __repr__(self) -> str:
        return MASK

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        # Equality of secrets is decided through fingerprints, never by ``==``,
        # which would invite comparisons (and timing) on the raw text.
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> NoReturn:
        raise TypeError("a secret value cannot be pickled")

    def __bool__(self) -> bool:
        return bool(self._text)

    def __len__(self) -> int:
        return len(self._text)
