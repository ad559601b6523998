"""Core's webhook listener: route parsing, signature checks and the work started.

Paths follow ``/listener/{github|gitlab}/{stack|sync|procedure|action|repo}/
{id-or-name}/{operation}``, and ``/listener/{github|gitlab}/build/{id-or-name}``
without an operation (FACTS §4); of a repo's ``clone``, ``pull`` and ``build``
only ``pull`` is emulated. GitHub style compares ``X-Hub-Signature-256`` (optional
``sha256=`` prefix) with the hex HMAC-SHA256 of the raw body; GitLab style compares
``X-Gitlab-Token`` with the secret. The secret is the resource's own
``webhook_secret`` when set, else the Core's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from komodo_guard.testing import calls, shapes
from komodo_guard.testing.state import CoreError, CoreState

JSON = dict[str, Any]

_KEYS = {
    "stack": "stacks",
    "sync": "syncs",
    "procedure": "procedures",
    "action": "actions",
    "build": "builds",
    "repo": "repos",
}
_OPERATIONS = {
    "stack": ("refresh", "deploy"),
    "sync": ("refresh", "sync"),
    "repo": ("pull",),
}


def sign(secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` header value GitHub sends for `body`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def authentic(style: str, secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """Whether the request carries the right signature (github) or token (gitlab)."""
    if style == "gitlab":
        token = headers.get("x-gitlab-token", "")
        return hmac.compare_digest(token.encode(), secret.encode())
    given = headers.get("x-hub-signature-256", "").removeprefix("sha256=")
    expected = sign(secret, body).removeprefix("sha256=")
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def handle(
    state: CoreState, path: str, headers: Mapping[str, str], body: bytes
) -> JSON | None:
    """Authenticate a webhook and start its work; the started Update, if any.

    Raises `CoreError` 400 for an unknown route or resource, 401 for a bad
    signature or token.
    """
    parts = path.strip("/").split("/")
    if len(parts) == 4 and parts[2] == "build":
        parts.append("")
    if len(parts) != 5 or parts[1] not in ("github", "gitlab") or parts[2] not in _KEYS:
        raise CoreError(400, f"unknown listener route {path}")
    _, style, kind, ident, operation = parts
    if (kind == "build") != (operation == ""):
        raise CoreError(400, f"unknown listener route {path}")
    if kind in _OPERATIONS and operation not in _OPERATIONS[kind]:
        raise CoreError(400, f"unknown {kind} webhook operation {operation}")
    key = _KEYS[kind]
    record = state.find(key, ident) if _exists(state, key, ident) else None
    if record is None:
        raise CoreError(400, f"did not find any {kind} matching {ident}")
    config = state.config(key, record)
    secret = str(config.get("webhook_secret") or state.scenario.webhook_secret)
    if not authentic(style, secret, headers, body):
        raise CoreError(401, "request is not authenticated: invalid webhook signature")
    if not config.get("webhook_enabled", True) or not _branch_matches(
        kind, operation, config, body
    ):
        return None
    force = bool(config.get("webhook_force_deploy"))
    return _start(state, kind, operation, record["id"], force)


def _exists(state: CoreState, key: str, ident: str) -> bool:
    return any(ident in (r["id"], r["name"]) for r in state.records[key])


def _branch_matches(kind: str, operation: str, config: JSON, body: bytes) -> bool:
    try:
        payload = json.loads(body or b"{}")
    except json.JSONDecodeError:
        return False
    ref = payload.get("ref", "") if isinstance(payload, dict) else ""
    branch = str(ref).removeprefix("refs/heads/")
    if kind in ("procedure", "action"):
        return operation == "__ANY__" or branch == operation
    return branch == str(config.get("branch", "main"))


def _start(
    state: CoreState, kind: str, operation: str, ident: str, force: bool
) -> JSON | None:
    user = shapes.WEBHOOK_USER
    if operation == "refresh":
        return None
    if kind == "stack":
        return calls.deploy_stack(
            state, {"stack": ident}, if_changed=not force, operator=user
        )
    if kind == "sync":
        return calls.run_sync(state, {"sync": ident}, operator=user)
    if kind == "procedure":
        return calls.run_procedure(state, {"procedure": ident}, operator=user)
    if kind == "build":
        return calls.run_build(state, {"build": ident}, operator=user)
    if kind == "repo":
        return calls.pull_repo(state, {"repo": ident}, operator=user)
    return calls.run_action(state, {"action": ident}, operator=user)
