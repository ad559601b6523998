"""The audit's flowcharts: what went wrong, its root cause, its fix.

Each flowchart is a list of :class:`Chain` (three boxes in a row). Markdown
shows it as Mermaid source, which GitHub draws; HTML lays the same chains out
itself, since the page loads no script. Only failure classes with active
findings appear. Mermaid node ids are reduced to letters, digits and
underscores; labels are quoted with Mermaid's entity codes for ``"`` and ``#``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from komodo_guard.report.audit.model import Audit, ClassGroup
from komodo_guard.report.audit.priority import Priority
from komodo_guard.report.interface import plural

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_]")
_STYLES = {
    Priority.P0: "fill:#fde2e1,stroke:#b42318,color:#55160c",
    Priority.P1: "fill:#fef0c7,stroke:#b54708,color:#4e1d09",
    Priority.P2: "fill:#e0f2fe,stroke:#026aa2,color:#0b4a6f",
}


@dataclass(frozen=True)
class Chain:
    """One row of a flowchart: ``head`` leads to ``cause``, which ``fix``
    removes. ``key`` names the row's nodes; ``priority`` colours the head."""

    key: str
    head: str
    cause: str
    fix: str
    priority: Priority | None = None


def node_id(prefix: str, text: str) -> str:
    """A Mermaid node id made only of letters, digits and underscores."""
    return f"{prefix}_{_UNSAFE_ID.sub('_', text)}"


def label(text: str) -> str:
    """``text`` as a quoted Mermaid label on one line."""
    flat = " ".join(text.split())
    return '"' + flat.replace("#", "#35;").replace('"', "#quot;") + '"'


def class_chains(audit: Audit) -> list[Chain]:
    """Failure class -> root cause -> fix, most urgent class first."""
    return [_class_chain(group) for group in audit.groups]


def _class_chain(group: ClassGroup) -> Chain:
    name = group.failure_class.value
    head = (
        f"{group.text.title} ({name}): "
        f"{plural(len(group.items), 'finding')}, {group.priority.label}"
    )
    return Chain(name, head, group.text.cause, group.text.fix, group.priority)


def flowchart(chains: Sequence[Chain], head: str) -> str:
    """``flowchart LR`` source of ``chains``, head nodes' ids starting with
    ``head``; empty when there is nothing to draw."""
    if not chains:
        return ""
    lines = ["flowchart LR"]
    for chain in chains:
        lines.extend(_mermaid_chain(chain, head))
    if any(chain.priority is not None for chain in chains):
        lines.extend(
            f"    classDef {priority.label.lower()} {style}"
            for priority, style in _STYLES.items()
        )
    return "\n".join(lines) + "\n"


def _mermaid_chain(chain: Chain, head: str) -> list[str]:
    first, cause, fix = (
        node_id(prefix, chain.key) for prefix in (head, "cause", "fix")
    )
    lines = [
        f"    {first}[{label(chain.head)}]",
        f"    {cause}[{label('Cause: ' + chain.cause)}]",
        f"    {fix}[{label('Fix: ' + chain.fix)}]",
        f"    {first} --> {cause} --> {fix}",
    ]
    if chain.priority is not None:
        lines.append(f"    class {first} {chain.priority.label.lower()}")
    return lines


def mermaid(audit: Audit) -> str:
    """The failure classes' ``flowchart LR`` source; empty without findings."""
    return flowchart(class_chains(audit), "group")
