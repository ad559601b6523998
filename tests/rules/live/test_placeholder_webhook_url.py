"""placeholder-webhook-url: Core's public address for webhooks."""

from __future__ import annotations

import pytest

from komodo_guard.rules.interface import LiveFacts
from komodo_guard.rules.live.placeholder_webhook_url import RULE
from tests.conftest import TreeFactory
from tests.rules.live.livekit import core, messages, run, snapshot, sync, workspace


@pytest.mark.parametrize(
    "url", ["https://komodo.example.com", "https://Example.Komodo.com/"]
)
def test_documentation_placeholder(url: str) -> None:
    (finding,) = run(RULE, snapshot(core=core(webhook_base_url=url)))
    assert finding.message.startswith(
        f"Core's webhook_base_url is the documentation's placeholder {url.rstrip('/')}:"
    )


def test_local_address_with_git_syncs() -> None:
    snap = snapshot(
        core=core(webhook_base_url="http://localhost:9120"), syncs=[sync("homelab")]
    )
    assert messages(run(RULE, snap)) == [
        "Core's webhook_base_url is http://localhost:9120: git hosts cannot call "
        "it, so webhooks of git-based syncs and stacks never fire"
    ]


def test_empty_address_with_a_declared_git_stack(make_tree: TreeFactory) -> None:
    tree = workspace(
        make_tree(
            {
                "a.toml": '[[stack]]\nname = "web"\n[stack.config]\nrepo = "o/r"\n',
                "b.toml": '[[stack]]\nname = "off"\n[stack.config]\nrepo = "o/r"\n'
                "webhook_enabled = false\n",
            }
        )
    )
    snap = snapshot(core=core(webhook_base_url=""))
    assert len(run(RULE, LiveFacts(snap, tree))) == 1
    assert run(RULE, snap) == []


def test_passing_disabled_and_unread() -> None:
    assert run(RULE, snapshot()) == []
    assert run(RULE, snapshot(core=None)) == []
    local = snapshot(core=core(webhook_base_url="https://komodo.example.com"))
    assert run(RULE, local, disabled=[RULE.code]) == []
