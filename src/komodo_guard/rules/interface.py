"""The types every rule, report and command shares.

A rule is a small module with a ``RULE`` object satisfying :class:`Rule`: a stable
code, a kebab-case name, a default severity, a failure class, and a pure ``check``
that turns collected facts into :class:`Finding` values. Rules never read a file,
call the network or run a process; collectors do that once beforehand.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from komodo_guard.history.model import History
    from komodo_guard.host.model import HostState
    from komodo_guard.live.snapshot import LiveSnapshot
    from komodo_guard.workspace.model import Workspace


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so thresholds compare with ``>=``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """The lowercase word used in every output format."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read ``error``, ``warning`` (or ``warn``), ``info``; else ``ValueError``."""
        word = text.strip().lower()
        if word == "warn":
            word = "warning"
        for member in cls:
            if member.label == word:
                return member
        raise ValueError(f"unknown severity {text!r}: expected error, warning or info")


class FailureClass(enum.StrEnum):
    """The failure classes shared by rules, reports and the audit's taxonomy."""

    SECRET_DRIFT = "secret-drift"
    SYNC_DRIFT = "sync-drift"
    INVALID_CONFIG = "invalid-config"
    SILENT_FAILURE = "silent-failure"
    LIFECYCLE = "lifecycle"
    EXPOSURE = "exposure"
    STALE_CONFIG = "stale-config"
    UNMANAGED = "unmanaged"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column, relative to the tree's root."""

    path: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0


@dataclass(frozen=True)
class ResourceRef:
    """A Komodo resource a finding is about, by table kind and declared name."""

    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind} {self.name!r}"


@dataclass(frozen=True)
class Edit:
    """A machine-applicable edit of one TOML key, applied by ``lint --fix``.

    A rename (``into`` is None) replaces the key ``old`` at ``location`` by
    ``new``. A move (``into`` set) moves the key ``old`` at ``location``, with
    its value and the comment lines directly above it, to the end of the table
    at key path ``into`` (``new`` is then ``old``). ``key`` is the key path of
    the edited key, such as ``("stack", 0, "auto_update")``. Keys are names,
    unquoted; the fixer keeps the file's quoting.
    """

    location: Location
    old: str
    new: str
    key: tuple[str | int, ...] = ()
    into: tuple[str | int, ...] | None = None


@dataclass(frozen=True)
class Finding:
    """One problem found by one rule. Never carries a secret value."""

    code: str
    name: str
    severity: Severity
    failure_class: FailureClass
    message: str
    location: Location | None = None
    resource: ResourceRef | None = None
    hint: str = ""
    edit: Edit | None = None
    suppressed: str = ""
    since: datetime | None = None
    """When the condition began, for live findings where Core's records tell."""

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        """File, line, column, code, message: the order every report uses."""
        loc = self.location or Location("")
        return (loc.path, loc.line, loc.column, self.code, self.message)


@dataclass(frozen=True)
class RuleOptions:
    """Settings a rule may consult; filled from ``komodo-guard.toml``."""

    known_servers: frozenset[str] = frozenset()
    known_repos: frozenset[str] = frozenset()
    known_variables: frozenset[str] = frozenset()
    known_names: frozenset[tuple[str, str]] = frozenset()
    extra: dict[str, object] = field(default_factory=dict)


class Rule(Protocol):
    """What the registry holds for each rule."""

    @property
    def code(self) -> str:
        """Stable code such as ``KG101``; never reused."""
        ...

    @property
    def name(self) -> str:
        """Kebab-case name such as ``unknown-key``."""
        ...

    @property
    def severity(self) -> Severity:
        """The default severity; a finding may lower or raise it case by case."""
        ...

    @property
    def failure_class(self) -> FailureClass:
        """The failure class the audit groups this rule's findings under."""
        ...

    @property
    def doc(self) -> str:
        """The rule's documentation: what, why, how to fix, examples."""
        ...

    def check(self, workspace: Workspace, options: RuleOptions) -> Iterable[Finding]:
        """Yield findings for ``workspace``; must not do any I/O."""
        ...


@dataclass(frozen=True)
class RuleBase:
    """What every rule has, static or live: identity, defaults, documentation.

    Rule modules create one ``RULE`` with ``doc=__doc__`` so the module
    docstring is the single source of the rule's documentation.
    """

    code: str
    name: str
    severity: Severity
    failure_class: FailureClass
    doc: str

    def finding(
        self,
        message: str,
        *,
        location: Location | None = None,
        resource: ResourceRef | None = None,
        hint: str = "",
        severity: Severity | None = None,
        edit: Edit | None = None,
        since: datetime | None = None,
    ) -> Finding:
        """Build a finding of this rule with its code, name and class filled in."""
        return Finding(
            code=self.code,
            name=self.name,
            severity=self.severity if severity is None else severity,
            failure_class=self.failure_class,
            message=message,
            location=location,
            resource=resource,
            hint=hint,
            edit=edit,
            since=since,
        )

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name


@dataclass(frozen=True)
class RuleInfo(RuleBase):
    """A static rule: a pure check of a GitOps tree's workspace."""

    checker: CheckFunction

    def check(self, workspace: Workspace, options: RuleOptions) -> Iterable[Finding]:
        """Run the rule's check function."""
        return self.checker(self, workspace, options)


@dataclass(frozen=True)
class LiveFacts:
    """What live rules read: Core's snapshot, and when available the tree that
    declares it and the classified history of Core's update log.

    ``now`` is the snapshot's collection time, so durations ("pending for
    3 days") are computed from one clock.
    """

    snapshot: LiveSnapshot
    workspace: Workspace | None = None
    history: History | None = None

    @property
    def now(self) -> datetime:
        """The moment the snapshot was taken."""
        return self.snapshot.collected_at


@dataclass(frozen=True)
class LiveRuleInfo(RuleBase):
    """A live rule: a pure check of what Core reported (and git declares)."""

    checker: LiveCheckFunction

    def check(self, facts: LiveFacts, options: RuleOptions) -> Iterable[Finding]:
        """Run the rule's check function."""
        return self.checker(self, facts, options)


@dataclass(frozen=True)
class HostFacts:
    """What host rules read: one Docker host's checkouts and containers, and
    when available what Core and the tree say should run there."""

    host: HostState
    snapshot: LiveSnapshot | None = None
    workspace: Workspace | None = None


@dataclass(frozen=True)
class HostRuleInfo(RuleBase):
    """A host rule: a pure check of what was found on one Docker host."""

    checker: HostCheckFunction

    def check(self, facts: HostFacts, options: RuleOptions) -> Iterable[Finding]:
        """Run the rule's check function."""
        return self.checker(self, facts, options)


class CheckFunction(Protocol):
    """The signature of a rule module's ``check`` function."""

    def __call__(
        self, rule: RuleInfo, workspace: Workspace, options: RuleOptions
    ) -> Iterable[Finding]: ...


class LiveCheckFunction(Protocol):
    """The signature of a live rule module's ``check`` function."""

    def __call__(
        self, rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
    ) -> Iterable[Finding]: ...


class HostCheckFunction(Protocol):
    """The signature of a host rule module's ``check`` function."""

    def __call__(
        self, rule: HostRuleInfo, facts: HostFacts, options: RuleOptions
    ) -> Iterable[Finding]: ...
