"""KG615 webhook-disabled-configured: webhook off, webhook keys set."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.wiring.webhook_disabled import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def resource(kind: str, lines: str) -> str:
    return f'[[{kind}]]\nname = "x"\n[{kind}.config]\n{lines}\n'


def test_stack_with_force_deploy(make_tree: TreeFactory) -> None:
    text = resource("stack", "webhook_enabled = false\nwebhook_force_deploy = true")
    root = make_tree({"a.toml": text})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 4, 19, "KG615")]
    assert found.message == (
        "stack 'x': webhook_enabled = false, yet webhook_force_deploy (line 5) is "
        "set: Komodo accepts the webhook call and ignores it, so a push silently "
        "does nothing"
    )


def test_sync_with_its_own_secret(make_tree: TreeFactory) -> None:
    secret = "s3cr3t-webhook-value-0123456789"
    text = resource(
        "resource_sync", f'webhook_secret = "{secret}"\nwebhook_enabled = false'
    )
    (found,) = findings(make_tree({"a.toml": text}), RULE)
    assert "webhook_secret (line 4) is set" in found.message
    assert secret not in found.message + found.hint


def test_webhook_on_or_keys_unset_pass(make_tree: TreeFactory) -> None:
    text = (
        resource("stack", "webhook_enabled = true\nwebhook_force_deploy = true")
        + resource("procedure", 'webhook_enabled = false\nwebhook_secret = ""')
        + resource("repo", "webhook_enabled = false\nwebhook_force_deploy = false")
    )
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    text = resource("stack", "webhook_enabled = false\nwebhook_force_deploy = true")
    assert hits(make_tree({"a.toml": text}), RULE, disabled=[RULE.code]) == []


def test_corpus_disabled_webhooks_without_contradiction(shared: Path) -> None:
    """repo22 turns webhooks off on purpose (a schedule polls instead)."""
    assert hits(shared / "corpus" / "real" / "repo22", RULE) == []
