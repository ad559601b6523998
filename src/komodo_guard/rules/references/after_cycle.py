"""A cycle among the ``after`` entries of resources a sync deploys.

When a sync deploys (``deploy = true``), it runs in rounds: each round deploys
every stack or deployment whose ``after`` entries are all done. Komodo does not
check for cycles: when ``a`` waits for ``b`` and ``b`` waits for ``a``, no round
can start either, and the sync loops forever (one-second sleeps), stuck in
``Syncing`` until Core restarts. A resource that lists itself is a cycle too.

Each cycle is reported once, at the ``after`` key of its first member, with the
whole cycle in the message.

Failing::

    [[stack]]
    name = "a"
    deploy = true
    after = ["b"]

    [[stack]]
    name = "b"
    deploy = true
    after = ["a"]

Passing: remove one of the entries so the dependencies form a chain.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.rules.references.graph import strongly_connected
from komodo_guard.rules.references.index import (
    ScopeView,
    deploying_kinds,
    scope_views,
    unique,
)
from komodo_guard.workspace.model import Resource, Workspace

Node = tuple[str, str]


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per cycle, per scope (a cycle seen by two syncs once)."""
    kinds = deploying_kinds(workspace)
    return unique(
        finding
        for view in scope_views(workspace)
        for finding in _cycles(rule, view, kinds)
    )


def _cycles(
    rule: RuleInfo, view: ScopeView, kinds: frozenset[str]
) -> Iterator[Finding]:
    deploying = _deploying(view, kinds)
    deployments = view.names("deployment")
    edges = {
        node: _parents(resource, deployments, deploying)
        for node, resource in deploying.items()
    }
    for component in strongly_connected(edges):
        start = component[0]
        if len(component) == 1 and start not in edges[start]:
            continue
        cycle = _shortest_cycle(start, edges, frozenset(component))
        yield _finding(rule, deploying[start], [deploying[node] for node in cycle])


def _deploying(view: ScopeView, kinds: frozenset[str]) -> dict[Node, Resource]:
    found: dict[Node, Resource] = {}
    for resource in view.resources:
        if (
            resource.kind in kinds
            and resource.name
            and resource.body.get("deploy") is True
        ):
            found.setdefault((resource.kind, resource.name), resource)
    return found


def _parents(
    resource: Resource, deployments: frozenset[str], deploying: Mapping[Node, Resource]
) -> list[Node]:
    """Komodo resolves an ``after`` name as a deployment first, then a stack."""
    after = resource.body.get("after")
    parents: list[Node] = []
    for entry in after if isinstance(after, list) else ():
        if not isinstance(entry, str):
            continue
        kind = "deployment" if entry in deployments else "stack"
        if (kind, entry) in deploying and (kind, entry) not in parents:
            parents.append((kind, entry))
    return parents


def _shortest_cycle(
    start: Node, edges: Mapping[Node, Sequence[Node]], within: frozenset[Node]
) -> list[Node]:
    """The shortest path from ``start`` back to itself inside its component."""
    came_from: dict[Node, Node] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for parent in edges[node]:
            if parent == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1])]
            if parent in within and parent not in came_from:
                came_from[parent] = node
                queue.append(parent)
    return [start]


def _finding(rule: RuleInfo, first: Resource, cycle: Sequence[Resource]) -> Finding:
    chain = " -> ".join(member.label for member in (*cycle, cycle[0]))
    return rule.finding(
        f"`after` forms a cycle among deploying resources: {chain} (each waits "
        "for the next); a sync that deploys any of them never finishes and stays "
        "in Syncing",
        location=at_key(first, "after"),
        resource=ref(first),
        hint="remove one `after` entry of the cycle so the dependencies form a chain",
    )


RULE = RuleInfo(
    code="KG208",
    name="after-cycle",
    severity=Severity.ERROR,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
