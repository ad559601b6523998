"""KG611 alerter-coverage: nobody is told when something fails."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.interface import RuleOptions
from komodo_guard.rules.wiring.alerter_coverage import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

STACK = '[[stack]]\nname = "web"\n'
SYNC = '[[resource_sync]]\nname = "homelab"\n'


def alerter(config: str, name: str = "ntfy") -> str:
    return (
        f'[[alerter]]\nname = "{name}"\n[alerter.config]\n'
        f'endpoint.type = "Ntfy"\n{config}\n'
    )


def test_no_alerter_is_reported_once_at_the_sync(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACK, "b.toml": STACK.replace("web", "db") + SYNC})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("b.toml", 4, 1, "KG611")]
    assert found.message.startswith("no [[alerter]] is declared in this tree")
    assert "nobody is told" in found.message


def test_disabled_alerters_do_not_count(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACK + alerter("enabled = false")})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 2, 1, "KG611")]
    assert "none of the 1 declared [[alerter]] tables sets enabled = true" in (
        found.message
    )


def test_missing_critical_types_are_named(make_tree: TreeFactory) -> None:
    text = STACK + SYNC + alerter('enabled = true\nalert_types = ["ServerCpu"]')
    root = make_tree({"a.toml": text})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 10, 1, "KG611")]
    assert (
        "send none of `ServerUnreachable`, `StackStateChange`, "
        "`ResourceSyncPendingUpdates`"
    ) in found.message
    assert "ProcedureFailed" not in found.message  # no procedure declared


def test_alerters_cover_together(make_tree: TreeFactory) -> None:
    text = (
        STACK
        + alerter('enabled = true\nalert_types = ["ServerUnreachable"]')
        + alerter('enabled = true\nalert_types = ["StackStateChange"]', "discord")
    )
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_empty_alert_types_means_every_type(make_tree: TreeFactory) -> None:
    text = STACK + SYNC + alerter("enabled = true\nalert_types = []")
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_variables_only_tree_is_not_judged(make_tree: TreeFactory) -> None:
    root = make_tree({"v.toml": '[[variable]]\nname = "TZ"\nvalue = "UTC"\n'})
    assert hits(root, RULE) == []


def test_known_alerter_from_the_ui_silences_it(make_tree: TreeFactory) -> None:
    options = RuleOptions(known_names=frozenset({("alerter", "ui-ntfy")}))
    assert hits(make_tree({"a.toml": STACK}), RULE, options=options) == []


def test_no_alerter_hint_names_the_known_key(make_tree: TreeFactory) -> None:
    (found,) = findings(make_tree({"a.toml": STACK}), RULE)
    assert '[known] alerters = ["<its name>"]' in found.hint
    assert "[rules] disable" not in found.hint


def test_disabled(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"a.toml": STACK}), RULE, disabled=[RULE.code]) == []


def test_corpus(shared: Path) -> None:
    real = shared / "corpus" / "real"
    (found,) = findings(real / "repo41", RULE)
    assert "`StackStateChange`, `ResourceSyncPendingUpdates`" in found.message
    assert hits(real / "repo38", RULE) == []  # enabled, every type
    assert hits(real / "repo35", RULE) == [("komodo/komodo.toml", 91, 1, "KG611")]
    assert hits(real / "repo06", RULE) == [("komodo/resources.toml", 7, 1, "KG611")]
