"""A small tree that the file rules (KG001, KG003, KG004) report on."""

from __future__ import annotations

SMALL_TREE: dict[str, str | bytes] = {
    "sync.toml": '[[resource_sync]]\nname = "main"\n[resource_sync.config]\n'
    'resource_path = ["stacks.toml", "empty.toml"]\n',
    "stacks.toml": '[[stack]]\nname = "web\n',
    "empty.toml": "# moved to stacks.toml\n",
    "old/stack.toml": '[[variable]]\nname = "DOMAIN"\nvalue = "example.org"\n',
    # The wiring rules would add tree-wide findings that these exact-output
    # tests are not about.
    "komodo-guard.toml": '[rules]\ndisable = ["alerter-coverage", "sync-never-runs"]\n',
}

EMPTY_MESSAGE = "empty file: it declares no Komodo resources"
EMPTY_HINT = (
    "delete the file or declare its resources; with delete or managed syncs an "
    "emptied file deletes what it used to declare"
)
UNSYNCED_MESSAGE = (
    "no resource_sync reads this file (syncs here: 'main'); what it declares never "
    "reaches Komodo"
)
UNSYNCED_HINT = "add it to a sync's resource_path, or delete it if it is left over"
SYNTAX_MESSAGE = 'invalid TOML: invalid basic string, expected `"`'
SUMMARY = "4 files, 2 resources checked for Komodo 2.3.2: 1 error, 1 warning, 2 infos"
