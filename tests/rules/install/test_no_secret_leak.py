"""No install rule ever echoes a secret value, in any output."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from komodo_guard.komodo.model import load
from komodo_guard.report import json_format, text_format
from komodo_guard.report.interface import LintResult
from komodo_guard.rules.engine import run_rules
from komodo_guard.rules.install import RULES
from komodo_guard.rules.interface import RuleOptions
from komodo_guard.workspace.collect import collect

# URL-reserved characters included so KG908 fires; no quote, `$` or space, so
# the value stays one literal in every file format below.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-+/.%~@:?"

_ENV = """KOMODO_DATABASE_USERNAME=komodo
KOMODO_DATABASE_PASSWORD={v}
KOMODO_JWT_SECRET={v}
KOMODO_WEBHOOK_SECRET={v}
KOMODO_INIT_ADMIN_PASSWORD={v}
KOMODO_PASSKEY={v}
KOMODO_LOCAL_AUTH=true
KOMODO_TRANSPARENT_MODE=true
KOMODO_RESOURCE_POLL_INTERVAL={v}
"""
_COMPOSE = """services:
  mongo:
    image: mongo:8
    environment:
      MONGO_INITDB_ROOT_USERNAME: komodo
      MONGO_INITDB_ROOT_PASSWORD: "x{v}"
  core:
    image: ghcr.io/moghtech/komodo-core:2
    env_file: ./compose.env
    environment:
      KOMODO_HOST: "{v}"
  periphery:
    image: ghcr.io/moghtech/komodo-periphery:2
    env_file: ./compose.env
"""
_CONFIG = """host = "https://komodo.lan"
jwt_secret = "{v}"
[database]
password = "{v}"
"""
_STACK = '''[[stack]]
name = "komodo"
[stack.config]
environment = """
KOMODO_DB_PASSWORD={v}
KOMODO_WEBHOOK_SECRET={v}
"""
'''
_SECRET_CODES = {"KG903", "KG905", "KG906", "KG907", "KG908", "KG909", "KG910"}


def _outputs(root: Path) -> tuple[list[str], set[str]]:
    workspace = collect(root, load(None))
    found = run_rules(workspace, RULES, RuleOptions())
    result = LintResult(
        root=str(root),
        komodo_version="2.3.2",
        findings=tuple(found),
        files_checked=len(workspace.toml_files),
        resources=len(workspace.resources),
    )
    texts = [json_format.render(result), text_format.render(result)]
    texts.extend(f"{f.message} {f.hint}" for f in found)
    return texts, {f.code for f in found}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.text(alphabet=_ALPHABET, min_size=12, max_size=40))
def test_secret_values_never_reach_a_message_hint_or_report(value: str) -> None:
    prefix = value[:8]
    for template in (_ENV, _COMPOSE, _CONFIG, _STACK):
        assume(prefix not in template)
    assume("@" in value or ":" in value or "/" in value or "%" in value)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "compose.env").write_text(_ENV.format(v=value), encoding="utf-8")
        (root / "mongo.compose.yaml").write_text(
            _COMPOSE.format(v=value), encoding="utf-8"
        )
        (root / "core.config.toml").write_text(
            _CONFIG.format(v=value), encoding="utf-8"
        )
        (root / "stacks.toml").write_text(_STACK.format(v=value), encoding="utf-8")
        texts, codes = _outputs(root)
    assert codes >= _SECRET_CODES | {"KG904"}, codes
    for text in texts:
        assert value not in text
        assert prefix not in text
