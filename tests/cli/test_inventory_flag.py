"""``--inventory FILE`` and ``--inventory-kind``: the host list of drift,
audit, postmortem and watch, over ``[hosts]`` of the config."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.cli import main as cli
from komodo_guard.cli.livecheck import LiveOptions
from komodo_guard.cli.main import main
from komodo_guard.cli.watch import Overrides, _settings
from komodo_guard.host.inventory import InventoryKind
from komodo_guard.testing import CoreEmulator

COMMANDS = ("drift", "audit", "postmortem", "watch")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """An empty tree whose config lists ``attic`` in its inventory."""
    root = tmp_path / "tree"
    root.mkdir()
    (root / "config-hosts.txt").write_text("attic.lan\n")
    (root / "komodo-guard.toml").write_text('[hosts]\ninventory = "config-hosts.txt"\n')
    return root


def drift(
    capsys: pytest.CaptureFixture[str], core: CoreEmulator, *argv: str
) -> tuple[int, str, str]:
    code = main(["drift", "--komodo", core.url, "-f", "text", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_config_inventory_without_the_flag(
    clean_core: CoreEmulator, tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = drift(capsys, clean_core, str(tree))
    assert code == 1
    assert "inventory host 'attic.lan' is not a Komodo Server in Core" in out


def test_the_flag_replaces_the_config_inventory(
    clean_core: CoreEmulator,
    tree: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("hearth.lan\nporch.lan 10.0.4.7\n")
    code, out, err = drift(capsys, clean_core, str(tree), "--inventory", str(hosts))
    assert (code, err) == (1, "")
    assert f"{hosts}:2:1: warning KG1021 host-not-a-server: inventory host " in out
    assert "'porch.lan' (10.0.4.7)" in out
    assert "attic" not in out

    hosts.write_text("hearth.lan\n")
    assert drift(capsys, clean_core, str(tree), "--inventory", str(hosts))[0] == 0


def test_the_kind_is_the_flags(
    clean_core: CoreEmulator,
    tree: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hosts = tmp_path / "inventory"
    hosts.write_text("Host porch\n  HostName 10.0.4.7\n")
    code, out, _ = drift(
        capsys,
        clean_core,
        str(tree),
        "--inventory",
        str(hosts),
        "--inventory-kind",
        "ssh-config",
    )
    assert code == 1
    assert "inventory host 'porch' (10.0.4.7)" in out

    hosts.write_text("- not: [an, inventory\n")
    code, _, err = drift(
        capsys,
        clean_core,
        str(tree),
        "--inventory",
        str(hosts),
        "--inventory-kind",
        "ansible-yaml",
    )
    assert code == 2
    assert err.startswith(f"komodo-guard: error: {hosts}")


def test_a_kind_without_a_file_is_a_usage_error(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["drift", str(tree), "--demo", "--inventory-kind", "list"]) == 2
    assert capsys.readouterr().err == (
        "komodo-guard: error: --inventory-kind tells the format of --inventory "
        "FILE: pass both (for [hosts] inventory, set inventory_kind in the "
        "[hosts] table)\n"
    )


def test_audit_and_postmortem_take_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("cellar.lan\n")
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "tree"
    root.mkdir()
    out = tmp_path / "audit.md"
    argv = ["--demo", "--inventory", str(hosts)]
    assert main(["audit", str(root), "-o", str(out), *argv]) == 1
    assert "inventory host 'cellar.lan' is not a Komodo Server" in out.read_text()
    incident = ["postmortem", "git-pull-blocked-mealie", "-o", str(tmp_path / "pm")]
    assert main([*incident, *argv]) == 0
    hosts.write_text("- broken: [\n")
    code = main([*incident, *argv, "--inventory-kind", "ansible-yaml"])
    assert capsys.readouterr().err.startswith(f"komodo-guard: error: {hosts}")
    assert code == 2, "postmortem reads the inventory it was given"


def test_audit_without_core_refuses_the_flag(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("cellar.lan\n")
    out = tmp_path / "audit.md"
    assert main(["audit", str(tree), "-o", str(out), "--inventory", str(hosts)]) == 2
    assert capsys.readouterr() == (
        "",
        f"komodo-guard: error: --inventory {hosts}: the inventory is compared "
        "with Core's Servers, so it needs --komodo URL or --demo\n",
    )
    assert not out.exists()
    argv = ["audit", str(tree), "-o", str(out), "--inventory-kind", "list"]
    assert main(argv) == 2
    assert "--inventory-kind tells the format" in capsys.readouterr().err

    assert main(["audit", str(tree), "-o", str(out)]) == 0, "[hosts] stays quiet"
    assert "attic" not in out.read_text()


def test_watch_takes_the_flag_on_every_cycle_and_reload(
    clean_core: CoreEmulator, tmp_path: Path
) -> None:
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("cellar.lan\n")
    config = tmp_path / "komodo-guard.toml"
    config.write_text(f'[komodo]\nurl = "{clean_core.url}"\n[watch]\nlisten = false\n')
    argv = ["watch", "--once", "--config", str(config), "--timeout", "1"]
    assert main(argv) == 0
    assert main([*argv, "--inventory", str(hosts)]) == 1

    live = LiveOptions(inventory=hosts, inventory_kind="list")
    settings = _settings(config, Overrides(), live)
    assert (settings.config.inventory, settings.config.inventory_kind) == (
        hosts,
        "list",
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_help_documents_the_flags(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--inventory FILE" in text
    assert "(default: [hosts] inventory in the config)" in text
    assert "--inventory-kind {list,ansible-ini,ansible-yaml,ssh-config}" in text


def test_help_kinds_match_the_reader() -> None:
    assert tuple(kind.value for kind in InventoryKind) == cli.INVENTORY_KINDS
