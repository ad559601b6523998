"""KG506 sync-match-tags: resources a sync reads but its match_tags drop."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.layout.sync_match_tags import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

SYNC = (
    '[[resource_sync]]\nname = "prod"\ntags = ["prod"]\n[resource_sync.config]\n'
    'resource_path = ["komodo"]\nmatch_tags = ["prod"]\n'
)


def stacks(*tags: str) -> str:
    return "".join(
        f'[[stack]]\nname = "s{n}"\ntags = [{tag}]\n' for n, tag in enumerate(tags)
    )


def test_untagged_resources_are_reported(make_tree: TreeFactory) -> None:
    text = stacks('"prod"', '"dev"') + '[[procedure]]\nname = "p"\n'
    root = make_tree({"komodo/sync.toml": SYNC, "komodo/apps.toml": text})
    assert hits(root, RULE) == [
        ("komodo/apps.toml", 6, 1, "KG506"),
        ("komodo/apps.toml", 8, 1, "KG506"),
    ]
    tagged, untagged = findings(root, RULE)
    assert "stack 's1' lacks the tag(s) \"prod\"" in tagged.message
    assert "procedure 'p' lacks" in untagged.message


def test_every_match_tag_is_needed(make_tree: TreeFactory) -> None:
    sync = SYNC.replace('match_tags = ["prod"]', 'match_tags = "prod, web"')
    root = make_tree({"komodo/sync.toml": sync, "komodo/apps.toml": stacks('"prod"')})
    messages = [f.message for f in findings(root, RULE)]
    assert len(messages) == 2
    assert "stack 's0' lacks the tag(s) \"web\"" in messages[0]
    assert 'the sync itself lacks the tag(s) "web"' in messages[1]


def test_many_are_summed_up_at_match_tags(make_tree: TreeFactory) -> None:
    text = stacks(*['"dev"'] * 7)
    root = make_tree({"komodo/sync.toml": SYNC, "komodo/apps.toml": text})
    assert hits(root, RULE) == [("komodo/sync.toml", 6, 1, "KG506")]
    (found,) = findings(root, RULE)
    assert found.message.startswith("7 resources in the files of resource_sync")


def test_tagged_resources_and_variables_pass(make_tree: TreeFactory) -> None:
    text = stacks('"prod", "x"') + '[[variable]]\nname = "TZ"\nvalue = "UTC"\n'
    root = make_tree({"komodo/sync.toml": SYNC, "komodo/apps.toml": text})
    assert hits(root, RULE) == []


def test_sync_without_match_tags_passes(make_tree: TreeFactory) -> None:
    sync = SYNC.replace('match_tags = ["prod"]\n', "")
    root = make_tree({"komodo/sync.toml": sync, "komodo/apps.toml": stacks('"x"')})
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/sync.toml": SYNC, "komodo/apps.toml": stacks('"x"')})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_corpus_repo03_sync_that_skips_its_sibling(shared: Path) -> None:
    assert hits(shared / "corpus/real/repo03", RULE) == [("sync.toml", 14, 1, "KG506")]
