"""The audit's Mermaid diagram: failure class, its root cause, its fix.

Only classes with active findings appear. Node ids are reduced to letters, digits
and underscores; labels are quoted with Mermaid's entity codes for ``"`` and ``#``.
"""

from __future__ import annotations

import re

from komodo_guard.report.audit.model import Audit, ClassGroup
from komodo_guard.report.audit.priority import Priority
from komodo_guard.report.interface import plural

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_]")
_STYLES = {
    Priority.P0: "fill:#fde2e1,stroke:#b42318,color:#55160c",
    Priority.P1: "fill:#fef0c7,stroke:#b54708,color:#4e1d09",
    Priority.P2: "fill:#e0f2fe,stroke:#026aa2,color:#0b4a6f",
}


def node_id(prefix: str, text: str) -> str:
    """A Mermaid node id made only of letters, digits and underscores."""
    return f"{prefix}_{_UNSAFE_ID.sub('_', text)}"


def label(text: str) -> str:
    """``text`` as a quoted Mermaid label on one line."""
    flat = " ".join(text.split())
    return '"' + flat.replace("#", "#35;").replace('"', "#quot;") + '"'


def _chain(group: ClassGroup) -> list[str]:
    name = group.failure_class.value
    head = node_id("group", name)
    title = (
        f"{group.text.title} ({name}): "
        f"{plural(len(group.items), 'finding')}, {group.priority.label}"
    )
    return [
        f"    {head}[{label(title)}]",
        f"    {node_id('cause', name)}[{label('Cause: ' + group.text.cause)}]",
        f"    {node_id('fix', name)}[{label('Fix: ' + group.text.fix)}]",
        f"    {head} --> {node_id('cause', name)} --> {node_id('fix', name)}",
        f"    class {head} {group.priority.label.lower()}",
    ]


def mermaid(audit: Audit) -> str:
    """The ``flowchart LR`` source; empty when there is nothing to draw."""
    if not audit.groups:
        return ""
    lines = ["flowchart LR"]
    for group in audit.groups:
        lines.extend(_chain(group))
    lines.extend(
        f"    classDef {priority.label.lower()} {style}"
        for priority, style in _STYLES.items()
    )
    return "\n".join(lines) + "\n"
