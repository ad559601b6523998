"""Inventories: plain lists, Ansible INI and YAML, SSH config; and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.host.inventory import (
    InventoryError,
    InventoryHost,
    InventoryKind,
    expand_ranges,
    guess_kind,
    parse_inventory,
    read_inventory,
)

LIST = InventoryKind.LIST
INI = InventoryKind.ANSIBLE_INI
YAML = InventoryKind.ANSIBLE_YAML
SSH = InventoryKind.SSH_CONFIG


def hosts(text: str, kind: InventoryKind) -> list[tuple[str, str, int]]:
    """(name, address, line) of every host parsed from ``text``."""
    parsed = parse_inventory(text, kind, "hosts")
    return [(host.name, host.address, host.source_line) for host in parsed.hosts]


def error(text: str, kind: InventoryKind) -> str:
    with pytest.raises(InventoryError) as raised:
        parse_inventory(text, kind, "hosts")
    return str(raised.value)


# Plain lists


def test_plain_list_with_comments_and_addresses() -> None:
    text = (
        "# Docker hosts, kept by hand\n"
        "hearth.home.lan\n"
        "\n"
        "attic 10.0.4.21   # the old NUC\n"
        "  nas.home.lan   fd00::12\n"
    )
    assert hosts(text, LIST) == [
        ("hearth.home.lan", "", 2),
        ("attic", "10.0.4.21", 4),
        ("nas.home.lan", "fd00::12", 5),
    ]


def test_plain_list_keeps_a_host_once() -> None:
    assert hosts("hearth\nHEARTH 10.0.4.2\n", LIST) == [("hearth", "", 1)]


def test_plain_list_errors_name_the_line() -> None:
    assert error("hearth\nattic 10.0.4.21 extra\n", LIST) == (
        "hosts:2: expected a host name, optionally followed by its address"
    )
    assert error("web/01\n", LIST) == (
        "hosts:1: expected a host name (letters, digits, `.-_`), not `web/01`"
    )
    assert error("attic 10.0.4.21/24\n", LIST) == (
        "hosts:1: expected a host name or IP address as the address"
    )


def test_plain_list_error_never_echoes_a_variable_value() -> None:
    message = error("attic ansible_password=hunter2-S3cret\n", LIST)
    assert message == "hosts:1: expected a host name or IP address as the address"


# Ansible INI

ANSIBLE_INI = """\
# Ansible inventory of the home lab
bastion.example.lan ansible_host=203.0.113.7 ansible_user=ops

[docker]
hearth.home.lan ansible_host=10.0.4.2
attic.home.lan:2222 ansible_host="10.0.4.21"   # port in the name
web[01:03].home.lan
db-[a:b].home.lan ansible_ssh_host=10.0.5.9

[docker:vars]
ansible_user=deploy
ansible_become=true

[lab:children]
docker

[lab]
hearth.home.lan
; semicolon comment
"""


def test_ansible_ini_hosts_groups_and_ranges() -> None:
    assert hosts(ANSIBLE_INI, INI) == [
        ("bastion.example.lan", "203.0.113.7", 2),
        ("hearth.home.lan", "10.0.4.2", 5),
        ("attic.home.lan", "10.0.4.21", 6),
        ("web01.home.lan", "", 7),
        ("web02.home.lan", "", 7),
        ("web03.home.lan", "", 7),
        ("db-a.home.lan", "10.0.5.9", 8),
        ("db-b.home.lan", "10.0.5.9", 8),
    ]


def test_ansible_ini_templated_address_is_left_empty() -> None:
    text = '[docker]\nhearth ansible_host="{{ inventory_hostname }}.home.lan"\n'
    assert hosts(text, INI) == [("hearth", "", 2)]
    text = "all:\n  hosts:\n    hearth:\n      ansible_host: '{{ lan_ip }}'\n"
    assert hosts(text, YAML) == [("hearth", "", 3)]
    assert error("[docker]\nhearth ansible_host=10.0.4.2/24\n", INI) == (
        "hosts:2: expected a host name or IP address as the address"
    )


def test_ansible_ini_vars_and_children_are_not_hosts() -> None:
    text = "[web:children]\nfrontend\n[web:vars]\nntp=pool.ntp.org\n[web]\nedge\n"
    assert hosts(text, INI) == [("edge", "", 6)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[web\nhearth\n", "hosts:1: expected a section header such as `[web]`"),
        (
            "[web:hosts]\nhearth\n",
            "hosts:1: expected `[group]`, `[group:vars]` or `[group:children]`",
        ),
        (
            "[web]\nhearth ansible_user\n",
            "hosts:2: expected `key=value` host variables, not field 2",
        ),
        (
            "[web]\nhearth ansible_host='10.0.4.2\n",
            "hosts:2: expected a host line with closed quotes (No closing quotation)",
        ),
        (
            "[web]\n\nweb[03:01].lan\n",
            "hosts:3: expected a range `[first:last]` or `[first:last:step]` of "
            "numbers or letters, first before last, not `[03:01]`",
        ),
        (
            "[web]\nweb[1:a].lan\n",
            "hosts:2: expected a range `[first:last]` or `[first:last:step]` of "
            "numbers or letters, first before last, not `[1:a]`",
        ),
        (
            "[web]\nweb[01:100].lan\n",
            "hosts:2: expected a range `[first:last]` or `[first:last:step]` of "
            "numbers or letters, first and last of the same width when zero-padded, "
            "not `[01:100]`",
        ),
        (
            "[web]\nweb[1:].lan\n",
            "hosts:2: expected a range `[first:last]` or `[first:last:step]` of "
            "numbers or letters, not `[1:]`",
        ),
        (
            "[web]\nweb[1:4:0].lan\n",
            "hosts:2: expected a range `[first:last]` or `[first:last:step]` of "
            "numbers or letters, with a step of 1 or more",
        ),
    ],
)
def test_ansible_ini_errors(text: str, message: str) -> None:
    assert error(text, INI) == message


def test_ansible_ini_error_never_echoes_a_variable_value() -> None:
    message = error("[web]\nhearth ansible_ssh_pass= hunter2-S3cret\n", INI)
    assert message == "hosts:2: expected `key=value` host variables, not field 3"
    assert "hunter2" not in message


def test_ranges_pad_step_and_nest() -> None:
    assert expand_ranges("node[8:12:2]") == ["node8", "node10", "node12"]
    assert expand_ranges("node[08:12:2]") == ["node08", "node10", "node12"]
    assert expand_ranges("node[:2]") == ["node0", "node1", "node2"]
    assert expand_ranges("r[1:2]-[a:b]") == ["r1-a", "r1-b", "r2-a", "r2-b"]
    assert expand_ranges("hearth") == ["hearth"]


# Ansible YAML

ANSIBLE_YAML = """\
---
all:
  hosts:
    bastion.example.lan:
      ansible_host: 203.0.113.7
  vars:
    ansible_user: ops
  children:
    docker:
      hosts:
        hearth.home.lan:
          ansible_host: 10.0.4.2
          ansible_become_password: !vault |
            $ANSIBLE_VAULT;1.1;AES256
            62313365396662343061393464336163383764373764613633653634306231386433
          komodo_server: hearth
        web[01:02].home.lan:
      children:
        storage:
          hosts:
            nas.home.lan:
            hearth.home.lan:
    empty_group:
ungrouped:
  hosts:
    printer.home.lan:
"""


def test_ansible_yaml_nesting_and_addresses() -> None:
    assert hosts(ANSIBLE_YAML, YAML) == [
        ("bastion.example.lan", "203.0.113.7", 4),
        ("hearth.home.lan", "10.0.4.2", 11),
        ("web01.home.lan", "", 17),
        ("web02.home.lan", "", 17),
        ("nas.home.lan", "", 21),
        ("printer.home.lan", "", 26),
    ]


def test_ansible_yaml_address_must_be_plain_text() -> None:
    text = "all:\n  hosts:\n    hearth:\n      ansible_host: !vault |\n        x\n"
    assert hosts(text, YAML) == [("hearth", "", 3)]


def test_ansible_yaml_unknown_group_keys_are_skipped_with_a_note() -> None:
    text = "all:\n  host:\n    attic:\n  hosts:\n    hearth:\n"
    parsed = parse_inventory(text, YAML, "hosts.yml")
    assert [host.name for host in parsed.hosts] == ["hearth"]
    assert parsed.notes == (
        "hosts.yml:2: `host:` is skipped, as Ansible does: a group holds only "
        "`hosts:`, `children:` and `vars:`",
    )


def test_ansible_yaml_aliases_neither_loop_nor_repeat() -> None:
    text = (
        "all: &all\n"
        "  hosts:\n"
        "    hearth:\n"
        "  children:\n"
        "    again: *all\n"
        "    storage:\n"
        "      hosts: &disks\n"
        "        nas:\n"
        "    backup:\n"
        "      hosts: *disks\n"
    )
    assert hosts(text, YAML) == [("hearth", "", 3), ("nas", "", 8)]


def test_ansible_yaml_empty_file() -> None:
    assert hosts("# nothing yet\n", YAML) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("all:\n  hosts: [a, b]\n", "hosts:2: expected a mapping of host names"),
        (
            "all:\n  - a\n",
            "hosts:2: expected a mapping of a group with `hosts:`, `children:` "
            "or `vars:`",
        ),
        (
            "- hearth\n",
            "hosts:1: expected a mapping of groups at the top level, such as `all:`",
        ),
        (
            "all:\n  hosts:\n    ? [a, b]\n",
            "hosts:3: expected host names, as plain text",
        ),
        (
            "all:\n  hosts:\n    hearth: 10.0.4.2\n",
            "hosts:3: expected a mapping of host variables as keys",
        ),
    ],
)
def test_ansible_yaml_errors(text: str, message: str) -> None:
    assert error(text, YAML) == message


def test_ansible_yaml_syntax_error_names_the_line() -> None:
    message = error("all:\n  hosts:\n    hearth: [\n", YAML)
    assert message.startswith("hosts:4: expected valid YAML (")


# SSH config

SSH_CONFIG = """\
# ~/.ssh/config
Include ~/.ssh/config.d/*

Host *
    ServerAliveInterval 30

Host hearth hearth.home.lan
    HostName 10.0.4.2
    User ops

Host attic
    HostName %h.home.lan
    HostName ignored.example

Host web-* !web-legacy db?
    User deploy

Host=nas
  Port 2222

Match host gateway exec "true"
    HostName 203.0.113.1
"""


def test_ssh_config_hosts_hostname_and_notes() -> None:
    parsed = parse_inventory(SSH_CONFIG, SSH, "config")
    assert parsed.hosts == (
        InventoryHost("hearth", "10.0.4.2", 7, "config"),
        InventoryHost("hearth.home.lan", "10.0.4.2", 7, "config"),
        InventoryHost("attic", "attic.home.lan", 11, "config"),
        InventoryHost("nas", "", 18, "config"),
    )
    assert parsed.notes == (
        "config:2: `Include ~/.ssh/config.d/*` is not followed; give the included "
        "file as an inventory of its own",
        "config:4: `Host *` is a pattern, not a host",
        "config:15: `Host web-*` is a pattern, not a host",
        "config:15: `Host !web-legacy` is a pattern, not a host",
        "config:15: `Host db?` is a pattern, not a host",
    )


def test_ssh_config_errors() -> None:
    assert error("Host\n", SSH) == (
        "hosts:1: expected `Keyword value`, such as `Host web01`"
    )
    assert error("Host web/01\n", SSH) == (
        "hosts:1: expected a host name (letters, digits, `.-_`), not `web/01`"
    )


# Choosing the kind and reading files


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("hosts.yml", "", YAML),
        ("inventory.YAML", "", YAML),
        ("hosts.ini", "", INI),
        (".ssh/config", "", SSH),
        ("hosts", ANSIBLE_INI, INI),
        ("hosts", "[docker]\nhearth\n", INI),
        ("inventory", ANSIBLE_YAML, YAML),
        ("servers", SSH_CONFIG, SSH),
        ("servers", "# comment\nhost=attic\n", SSH),
        ("servers.txt", "# ours\nhearth\nattic 10.0.4.21\n", LIST),
        ("servers.txt", "", LIST),
        ("servers.txt", "hearth\nattic ansible_user=ops\n", INI),
    ],
)
def test_guess_kind(name: str, text: str, kind: InventoryKind) -> None:
    assert guess_kind(Path("/etc") / name, text) is kind


def test_read_inventory_guesses_and_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "hosts.ini"
    path.write_text(ANSIBLE_INI, encoding="utf-8")
    parsed = read_inventory(path)
    assert parsed.hosts[1] == InventoryHost("hearth.home.lan", "10.0.4.2", 5, str(path))


def test_read_inventory_kind_given_wins(tmp_path: Path) -> None:
    path = tmp_path / "hosts.ini"
    path.write_text("hearth 10.0.4.2\n", encoding="utf-8")
    assert read_inventory(path, InventoryKind.LIST).hosts == (
        InventoryHost("hearth", "10.0.4.2", 1, str(path)),
    )
    with pytest.raises(InventoryError, match=r"hosts.ini:1: expected `key=value`"):
        read_inventory(path)


def test_read_inventory_errors(tmp_path: Path) -> None:
    missing = tmp_path / "absent.txt"
    with pytest.raises(InventoryError, match=r"absent.txt: cannot read the inventory"):
        read_inventory(missing)
    binary = tmp_path / "hosts.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InventoryError, match=r"hosts.txt: cannot read the inventory"):
        read_inventory(binary)
