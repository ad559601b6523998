"""The Mermaid flowchart: present classes only, safe ids, quoted labels."""

from __future__ import annotations

import re

from komodo_guard.report.audit.diagram import label, mermaid, node_id
from komodo_guard.report.audit.model import build
from tests.report.samples import SYNTAX, UNSYNCED, result

NODE = re.compile(r'^    ([A-Za-z0-9_]+)\["([^"]*)"\]$')


def test_node_ids_keep_only_safe_characters() -> None:
    assert node_id("group", "sync-drift") == "group_sync_drift"
    assert node_id("x", 'a b"c[d]é') == "x_a_b_c_d__"


def test_labels_are_quoted_on_one_line_with_entities() -> None:
    assert label('say "hi"\n#1') == '"say #quot;hi#quot; #35;1"'


def test_chain_per_present_class() -> None:
    source = mermaid(build(result(SYNTAX, UNSYNCED)))
    lines = source.splitlines()
    assert lines[0] == "flowchart LR"
    nodes = {m.group(1) for line in lines if (m := NODE.match(line))}
    assert nodes == {
        "group_invalid_config",
        "cause_invalid_config",
        "fix_invalid_config",
        "group_sync_drift",
        "cause_sync_drift",
        "fix_sync_drift",
    }
    assert (
        "    group_invalid_config --> cause_invalid_config --> fix_invalid_config"
        in lines
    )
    assert "    class group_invalid_config p0" in lines
    assert "    class group_sync_drift p1" in lines
    assert "lifecycle" not in source


def test_nothing_to_draw_without_findings() -> None:
    assert mermaid(build(result())) == ""
