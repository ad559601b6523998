"""The shipped systemd unit and compose file for ``watch``: they parse, run
the real command line, keep the hardening promised in docs/watch.md, and
the compose file passes compose-spec and komodo-guard's own compose rules."""

from __future__ import annotations

import configparser
import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from komodo_guard.cli.main import build_parser, main
from komodo_guard.config import load_config
from komodo_guard.watch.settings_file import watch_settings
from komodo_guard.workspace.compose import parse_compose

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "systemd" / "komodo-guard-watch.service"
COMPOSE = ROOT / "deploy" / "compose" / "compose.yaml"
EXAMPLE = ROOT / "deploy" / "compose" / "komodo-guard.toml"


def unit() -> configparser.RawConfigParser:
    """The unit as sections of keys; repeated keys keep every value."""
    parser = configparser.RawConfigParser(strict=False, dict_type=_Multi)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


class _Multi(dict[str, Any]):
    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(value, list) and key in self:
            self[key].extend(value)
            return
        super().__setitem__(key, value)


def test_the_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed; the parser test still runs")
    guard = Path(sys.executable).with_name("komodo-guard")
    copy = tmp_path / UNIT.name
    copy.write_text(UNIT.read_text().replace("/usr/local/bin/komodo-guard", str(guard)))
    done = subprocess.run(
        [analyze, "verify", str(copy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    problems = [
        line
        for line in done.stderr.splitlines()
        if copy.name in line and "Unknown" in line
    ]
    assert problems == []


def test_the_unit_runs_watch_as_its_own_user_with_hardening() -> None:
    service = dict(unit()["Service"])
    program, *arguments = shlex.split(service["ExecStart"])
    assert program.endswith("/komodo-guard")
    args = build_parser().parse_args(arguments)
    assert (args.command, args.log_format, args.once) == ("watch", "json", False)
    assert str(args.config) == "/etc/komodo-guard/komodo-guard.toml"
    expected = {
        "DynamicUser": "yes",
        "StateDirectory": "komodo-guard",
        "EnvironmentFile": "/etc/komodo-guard/watch.env",
        "Restart": "on-failure",
        "KillSignal": "SIGTERM",
        "ExecReload": "/bin/kill -HUP $MAINPID",
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "CapabilityBoundingSet": "",
        "UMask": "0077",
    }
    assert {key: service.get(key) for key in expected} == expected
    assert "network-online.target" in dict(unit()["Unit"])["After"]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def test_the_compose_file_passes_compose_spec() -> None:
    parsed = parse_compose("compose.yaml", COMPOSE.read_bytes())
    assert parsed.problems == ()
    assert parsed.schema_errors == ()
    assert list(parsed.data["services"]) == ["watch"]


def test_the_compose_file_has_no_lint_finding_at_warning_or_above(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        ["lint", str(COMPOSE.parent), "--format", "json", "--fail-on", "warning"]
    )
    report = json.loads(capsys.readouterr().out)
    assert [f for f in report["findings"] if f["severity"] != "info"] == []
    assert code == 0


def test_the_compose_service_is_locked_down() -> None:
    service = compose()["services"]["watch"]
    assert service["read_only"] is True
    assert service["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in service["security_opt"]
    assert service["user"] == "65534:65534"
    volumes = service["volumes"]
    assert "./komodo-guard.toml:/etc/komodo-guard/komodo-guard.toml:ro" in volumes
    assert "state:/var/lib/komodo-guard" in volumes
    assert not any("docker.sock" in volume for volume in volumes)
    assert service["ports"] == ["127.0.0.1:9718:9718"]
    assert service["env_file"] == [{"path": "watch.env", "required": False}]
    assert "/healthz" in " ".join(service["healthcheck"]["test"])
    args = build_parser().parse_args(service["command"])
    assert args.command == "watch"


def test_the_example_config_is_valid_and_matches_the_compose_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    schema = json.loads(
        resources.files("komodo_guard")
        .joinpath("schema", "komodo-guard.schema.json")
        .read_text(encoding="utf-8")
    )
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert [
        e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)
    ] == []
    config = load_config(EXAMPLE)
    environ = {
        "KOMODO_GUARD_STATUS_TOKEN": "t",
        "NTFY_TOKEN": "n",
        "SMTP_PASSWORD": "p",
    }
    settings = watch_settings(config, environ)
    assert settings.state_path == Path("/var/lib/komodo-guard/watch.sqlite")
    assert settings.listen == ("0.0.0.0", 9718)
    assert [c.name for c in settings.channels] == ["phone", "ops-mail"]
    assert settings.heartbeat is not None
    assert settings.heartbeat.url.variable == "KOMODO_GUARD_HEARTBEAT_URL"


def _doc_blocks() -> list[str]:
    page = (ROOT / "docs" / "watch.md").read_text(encoding="utf-8")
    return re.findall(r"```toml\n(.*?)```", page, flags=re.DOTALL)


def test_the_docs_show_every_channel_type() -> None:
    from komodo_guard.notify.channels import TYPES

    shown = {
        tomllib.loads(b)["notify"]["channel"][0]["type"]
        for b in _doc_blocks()
        if "[[notify.channel]]" in b
    }
    assert shown == set(TYPES)


@pytest.mark.parametrize("block", _doc_blocks())
def test_every_config_example_of_the_docs_loads(tmp_path: Path, block: str) -> None:
    path = tmp_path / "komodo-guard.toml"
    path.write_text(block, encoding="utf-8")
    if 'type = "apprise"' in block:
        pytest.importorskip("apprise")
    load_config(path)
