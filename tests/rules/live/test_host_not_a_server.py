"""host-not-a-server: inventory hosts that no Komodo Server stands for."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.host.inventory import InventoryHost, InventoryKind, parse_inventory
from komodo_guard.rules.interface import (
    FailureClass,
    LiveFacts,
    Location,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.host_not_a_server import RULE
from tests.conftest import TreeFactory
from tests.rules.live.livekit import messages, run, server, snapshot, unread, workspace

SERVERS = [server("hearth"), server("nas.home.lan"), server("old", "Disabled")]


def given(*hosts: InventoryHost) -> RuleOptions:
    return RuleOptions(extra={"inventory": hosts})


def host(name: str, address: str = "", line: int = 1) -> InventoryHost:
    return InventoryHost(name, address, line, "inventory/hosts.ini")


def test_failing_host_outside_komodo() -> None:
    options = given(host("hearth"), host("attic.home.lan", "10.0.4.21", line=7))
    (finding,) = run(RULE, snapshot(servers=SERVERS), options=options)
    assert finding.message == (
        "inventory host 'attic.home.lan' (10.0.4.21) is not a Komodo Server in "
        "Core; what runs there is outside GitOps"
    )
    assert finding.location == Location("inventory/hosts.ini", 7, 1)
    assert finding.severity is Severity.WARNING
    assert finding.failure_class is FailureClass.UNMANAGED
    assert "[[server]]" in finding.hint


def test_passing_names_match_case_insensitively_and_by_short_name() -> None:
    options = given(
        host("HEARTH"),
        host("hearth.home.lan"),
        host("nas"),
        host("NAS.home.lan"),
        host("old.home.lan"),
    )
    assert run(RULE, snapshot(servers=SERVERS), options=options) == []


def test_ip_addresses_are_not_shortened() -> None:
    servers = [server("10")]
    options = given(host("10.0.4.21"))
    assert messages(run(RULE, snapshot(servers=servers), options=options)) == [
        "inventory host '10.0.4.21' is not a Komodo Server in Core; what runs "
        "there is outside GitOps"
    ]


def test_disabled_and_unreachable_servers_are_left_to_server_unreachable() -> None:
    servers = [server("old", "Disabled"), server("attic", "NotOk")]
    assert run(RULE, snapshot(servers=servers), options=given(host("old"))) == []


def test_disabled_rule() -> None:
    options = given(host("attic"))
    assert len(run(RULE, snapshot(servers=SERVERS), options=options)) == 1
    assert (
        run(RULE, snapshot(servers=SERVERS), options=options, disabled=["KG1021"]) == []
    )
    assert (
        run(RULE, snapshot(servers=SERVERS), options=options, disabled=[RULE.name])
        == []
    )


def test_nothing_without_an_inventory_or_a_server_list() -> None:
    assert run(RULE, snapshot(servers=SERVERS)) == []
    assert run(RULE, snapshot(servers=SERVERS), options=given()) == []
    assert (
        run(
            RULE,
            snapshot(servers=SERVERS),
            options=RuleOptions(extra={"inventory": "x"}),
        )
        == []
    )
    unreadable = snapshot(servers=(), incomplete=unread("ListServers"))
    assert run(RULE, unreadable, options=given(host("attic"))) == []


def test_no_servers_at_all_reports_every_host() -> None:
    options = given(host("hearth"), host("attic"))
    assert len(run(RULE, snapshot(servers=()), options=options)) == 2


TREE = """\
[[server]]
name = "nas"
[server.config]
address = "https://10.0.4.12:8120"

[[server]]
name = "hearth"
[server.config]
address = "hearth-periphery.home.lan:8120"
"""


def test_addresses_match_the_declared_server_address(make_tree: TreeFactory) -> None:
    root = make_tree({"servers.toml": TREE})
    facts = LiveFacts(
        snapshot(servers=[server("nas"), server("hearth")]), workspace(root)
    )
    options = given(
        host("storage", "10.0.4.12"),
        host("10.0.4.12"),
        host("periphery", "HEARTH-PERIPHERY.home.lan"),
        host("backup", "10.0.4.13"),
    )
    assert messages(run(RULE, facts, options=options)) == [
        "inventory host 'backup' (10.0.4.13) is not a Komodo Server in Core; what "
        "runs there is outside GitOps"
    ]
    without_tree = run(RULE, LiveFacts(facts.snapshot), options=options)
    assert len(without_tree) == 4


def test_parsed_inventory_end_to_end() -> None:
    text = "[docker]\nhearth.home.lan ansible_host=10.0.4.2\nweb[01:02].home.lan\n"
    parsed = parse_inventory(text, InventoryKind.ANSIBLE_INI, "hosts")
    found = run(RULE, snapshot(servers=SERVERS), options=given(*parsed.hosts))
    assert [(f.location, f.code) for f in found] == [
        (Location("hosts", 3, 1), "KG1021"),
        (Location("hosts", 3, 1), "KG1021"),
    ]
    assert [f.message.split("'")[1] for f in found] == [
        "web01.home.lan",
        "web02.home.lan",
    ]


def test_the_inventory_named_in_the_config_reaches_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from komodo_guard.cli.main import main

    (tmp_path / "hosts.ini").write_text("[docker]\nhearth\nshed.home.lan\n")
    (tmp_path / "komodo-guard.toml").write_text('[hosts]\ninventory = "hosts.ini"\n')
    code = main(["drift", str(tmp_path), "--demo", "-f", "json"])
    out = capsys.readouterr().out
    assert code == 1
    assert "KG1021" in out
    assert "shed.home.lan" in out
    assert "'hearth'" not in out.split("KG1021", 1)[1].split("}", 1)[0]


def test_a_missing_inventory_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from komodo_guard.cli.main import main

    (tmp_path / "komodo-guard.toml").write_text('[hosts]\ninventory = "nope.ini"\n')
    assert main(["drift", str(tmp_path), "--demo"]) == 2
    assert "nope.ini: cannot read the inventory" in capsys.readouterr().err
