"""No rule of the content group ever echoes a secret value, in any output."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from komodo_guard.komodo.model import load
from komodo_guard.report import json_format, text_format
from komodo_guard.report.interface import LintResult
from komodo_guard.rules.content import RULES
from komodo_guard.rules.engine import run_rules
from komodo_guard.rules.interface import RuleOptions
from komodo_guard.workspace.collect import collect

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-+/.%~"

_TEMPLATE = '''[[variable]]
name = "PG_PASSWORD"
value = "{v}"
is_secret = true

[[server]]
name = "box"
[server.config]
passkey = "{v}"

[[builder]]
name = "b"
[builder.config]
type = "Url"
params = {{ address = "https://b:8120", passkey = "{v}" }}

[[alerter]]
name = "public"
[alerter.config]
endpoint.type = "Ntfy"
endpoint.params.url = "https://ntfy.sh/{v}"

[[alerter]]
name = "lan"
[alerter.config]
enabled = true
endpoint.params.url = "http://192.0.2.1:8123/api/webhook/{v}{v}?token={v}"

[[stack]]
name = "app"
[stack.config]
webhook_secret = "{v}"
environment = """
DB_PASSWORD={v}
API_TOKEN={v} #{v}
QUOTED="{v} #{v}"
{v}
DATABASE_URL=postgres://user:{v}@db/app
OPEN=[[{v}
"""
pre_deploy.command = """
echo {v} \\\\
  [[COMPOSE_COMMAND]] [[{v}
"""
compose_cmd_wrapper = "run {v}"

[[deployment]]
name = "d"
[deployment.config]
environment = [{{ variable = "REDIS_PASSWORD", value = "{v} #{v}" }}]
command = "run [[[[{v}"

[[build]]
name = "bl"
[build.config]
secret_args = "NPMRC={v}"
'''


def _outputs(root: Path) -> list[str]:
    workspace = collect(root, load(None))
    found = run_rules(workspace, RULES, RuleOptions())
    result = LintResult(
        root=str(root),
        komodo_version="2.3.2",
        findings=tuple(found),
        files_checked=len(workspace.toml_files),
        resources=len(workspace.resources),
    )
    assert found, "the template must trigger findings, or the test proves nothing"
    return [json_format.render(result), text_format.render(result)]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(value=st.text(alphabet=_ALPHABET, min_size=12, max_size=40))
def test_secret_values_never_reach_a_message_hint_or_report(value: str) -> None:
    prefix = value[:8]
    assume(prefix not in _TEMPLATE)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "resources.toml").write_text(
            _TEMPLATE.format(v=value), encoding="utf-8"
        )
        rendered = _outputs(root)
    codes = {
        line.split()[2]
        for line in rendered[1].splitlines()
        if ": " in line and " KG" in line
    }
    assert {"KG301", "KG304", "KG701"} <= codes
    for text in rendered:
        assert value not in text
        assert prefix not in text
