"""The result of ``secrets check``: a matrix of secrets by the places that hold them.

Every type here is a frozen value without any secret in it: a cell says how
the place's copy compares (``same``, ``different``, ...), which of the
secret's distinct values it holds as a letter (``A``, ``B``: letters are
given per secret in the order the map lists its places, so they mean
nothing outside one run), and when the place last changed where that is
known. No value, fingerprint or length is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

EXIT_AGREE, EXIT_DRIFT, EXIT_INCOMPLETE = 0, 1, 2


class CellState(StrEnum):
    """How one place's copy of a secret compares."""

    SAME = "same"
    """Holds the reference value (the source place's, else the majority's)."""
    DIFFERENT = "different"
    """Holds another value."""
    MISSING = "missing"
    """The store was read and does not hold the secret."""
    UNREADABLE = "unreadable"
    """The store could not be read (the reason says why)."""
    VERIFIED = "verified"
    """The database accepted a value found in another place."""
    REFUSED = "refused"
    """The database refused every value found in the other places."""
    UNREACHABLE = "unreachable"
    """The database could not be asked."""
    EXISTS = "exists"
    """The store says the secret exists and never shows it (GitHub)."""


INCOMPLETE_STATES = frozenset({CellState.UNREADABLE, CellState.UNREACHABLE})


@dataclass(frozen=True)
class Cell:
    """One place of one secret.

    ``store`` is the matrix column (a file, a container, Komodo's Variables,
    a database server); ``label`` adds the key within it. ``value`` is the
    letter of the distinct value the place holds (or was accepted with), ""
    when none. ``drift`` is True when this cell disagrees with the reference.
    """

    kind: str
    store: str
    label: str
    state: CellState
    reason: str = ""
    value: str = ""
    changed: datetime | None = None
    source: bool = False
    drift: bool = False


@dataclass(frozen=True)
class Blanked:
    """A secret ``[[variable]]`` without a value in a tree a ResourceSync
    applies with ``include_variables = true``: the next sync sets it to ""."""

    variable: str
    path: str
    line: int
    syncs: tuple[str, ...]


@dataclass(frozen=True)
class SecretRow:
    """One secret: its cells in map order and what they were compared with."""

    name: str
    cells: tuple[Cell, ...]
    reference: str
    blanked: tuple[Blanked, ...] = ()

    @property
    def incomplete(self) -> bool:
        """True when a place could not be read or asked."""
        return any(cell.state in INCOMPLETE_STATES for cell in self.cells)

    @property
    def drift(self) -> bool:
        """True when a place disagrees, misses the secret, or a sync blanks it."""
        return bool(self.blanked) or any(cell.drift for cell in self.cells)

    @property
    def status(self) -> str:
        """``agree``, ``drift`` or ``incomplete`` (incomplete wins)."""
        if self.incomplete:
            return "incomplete"
        return "drift" if self.drift else "agree"


@dataclass(frozen=True)
class CheckResult:
    """Every secret of the map, and every secret Variable a sync would blank
    (mapped or not)."""

    secrets: tuple[SecretRow, ...]
    blanked: tuple[Blanked, ...] = ()
    map_file: str = ""
    tree: str = ""

    @property
    def exit_code(self) -> int:
        """2 when a place could not be read, else 1 on any drift, else 0."""
        if any(row.incomplete for row in self.secrets):
            return EXIT_INCOMPLETE
        if self.blanked or any(row.drift for row in self.secrets):
            return EXIT_DRIFT
        return EXIT_AGREE
