"""``[[VARIABLE]]`` interpolation as Komodo does it (the ``svi`` crate).

Komodo splits the text on ``[[``. A piece starting with ``[`` is an escape
(``[[[x]]]`` gives a literal ``[[x]]``); any other piece must contain ``]]``
and the text before it is the variable name, used verbatim (spaces
included). An unknown name is left as written. Komodo stops at the first
error, so :func:`find_variables` does too.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN = "[["
CLOSE = "]]"
# Replaced by Komodo itself in ``compose_cmd_wrapper``, never a Variable.
COMPOSE_COMMAND = "COMPOSE_COMMAND"


@dataclass(frozen=True)
class VariableUse:
    """A ``[[NAME]]`` at ``offset`` (of its ``[[``), or an error there.

    ``placeholder`` marks ``[[COMPOSE_COMMAND]]``; ``error`` is set (and
    ``name`` empty) where Komodo's interpolation fails.
    """

    name: str
    offset: int
    end: int
    placeholder: bool = False
    error: str | None = None


def find_variables(text: str) -> list[VariableUse]:
    """Every variable use in ``text``, ending with the first error if any."""
    pieces = text.split(OPEN)
    uses: list[VariableUse] = []
    position = len(pieces[0])
    for piece in pieces[1:]:
        opener = position
        position += len(OPEN) + len(piece)
        found = _read_piece(piece, opener)
        if found is not None:
            uses.append(found)
            if found.error is not None:
                break
    return uses


def _read_piece(piece: str, opener: int) -> VariableUse | None:
    """The use that ``[[`` + ``piece`` starts at ``opener``; ``None`` for escapes."""
    if not piece:
        return _error(opener, "'[[' directly followed by '[[' (or at the end)")
    if piece.startswith("["):
        return None
    name, separator, _ = piece.partition(CLOSE)
    if not separator:
        return _error(opener, "'[[' without a matching ']]'")
    end = opener + len(OPEN) + len(name) + len(CLOSE)
    return VariableUse(name, opener, end, placeholder=name == COMPOSE_COMMAND)


def _error(offset: int, reason: str) -> VariableUse:
    return VariableUse("", offset, offset + len(OPEN), error=reason)
