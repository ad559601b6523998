"""The typed records the schema walk yields; the KG10x rules phrase them."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from komodo_guard.rules.interface import Edit, Location, ResourceRef
from komodo_guard.rules.resources.history import History
from komodo_guard.workspace.headers import KeyPath


class Problem(enum.Enum):
    """What is wrong with one key or value."""

    UNKNOWN_TABLE = enum.auto()
    UNKNOWN_KEY = enum.auto()
    WRONG_TYPE = enum.auto()
    DUPLICATE_KEY = enum.auto()
    INVALID_ENUM = enum.auto()
    NOT_IN_VERSION = enum.auto()
    MISSING_KEY = enum.auto()


@dataclass(frozen=True)
class Advice:
    """What the author probably meant.

    ``key`` is the key to write instead (or the key itself when only its place
    is wrong); ``place`` the table it belongs in when that is not the table it
    is in; ``header_line`` the line of the sub-table header that swallowed it;
    ``note`` one more sentence of Komodo knowledge.
    """

    key: str = ""
    place: str = ""
    header_line: int = 0
    note: str = ""


@dataclass(frozen=True)
class Issue:
    """One schema problem at one place of one file.

    ``path`` is the key path of the offending key (for a missing key: of the
    table that lacks it); ``place`` names that table in TOML words; ``key``
    is the key concerned. ``expected`` says what Komodo accepts and ``got``
    what was found: a TOML type, or an enum value, never a secret. ``edit`` is
    the fix ``lint --fix`` may apply, when one is safe.
    """

    problem: Problem
    file: str
    line: int
    column: int
    path: KeyPath
    place: str
    key: str
    expected: str = ""
    got: str = ""
    advice: Advice | None = None
    history: History | None = None
    kind: str = ""
    name: str | None = None
    edit: Edit | None = None

    @property
    def location(self) -> Location:
        """Where a finding about this issue points."""
        return Location(self.file, self.line, self.column)

    @property
    def resource(self) -> ResourceRef | None:
        """The resource the issue is in, when it has a name."""
        return ResourceRef(self.kind, self.name) if self.kind and self.name else None

    @property
    def subject(self) -> str:
        """```key` in [stack.config]`` or ``item 2 of `alert_types` in ...``."""
        last = self.path[-1] if self.path else None
        if isinstance(last, int):
            return f"item {last + 1} of `{self.key}` in {self.place}"
        return f"`{self.key}` in {self.place}"
