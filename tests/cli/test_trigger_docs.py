"""docs/trigger.md says what the code does: calls, limits, the secret order,
and a GitHub Actions workflow that lints and then triggers with secrets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from komodo_guard.cli.livecheck import LiveOptions
from komodo_guard.cli.trigger import FIND_WAIT, TriggerFlags, trigger
from komodo_guard.live import trigger as live_trigger
from komodo_guard.live.trigger import KINDS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "trigger.md"


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def yaml_blocks(page: str) -> list[Any]:
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", page, re.S)]


def test_the_calls_table_matches_the_code(page: str) -> None:
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| (.*?) \| (.*?) \|$", page, re.M)
    assert [row[0] for row in rows] == list(KINDS)
    for name, single, changed, batch in rows:
        kind = KINDS[name]
        assert single == kind.call()
        assert changed == (f"`{kind.changed}`" if kind.changed else "–")
        batches = [c for c in (kind.batch, kind.batch_changed) if c]
        assert batch == (" / ".join(f"`{c}`" for c in batches) or "–")


def test_limits_in_the_text_are_the_codes(page: str) -> None:
    assert live_trigger.FIRST_INTERVAL == 0.5
    assert "first after 0.5 s" in page
    assert f"up to {live_trigger.LONGEST_INTERVAL:g} s" in page
    assert live_trigger.DEFAULT_WAIT == 30 * 60
    assert "(30 minutes unless told)" in page
    assert f"| `--wait SECONDS` | {live_trigger.DEFAULT_WAIT:g} |" in page
    limits = (
        f"(at most {live_trigger.MAX_STAGES} stages, {live_trigger.MAX_LINES} lines "
        f"per\nstream, {live_trigger.MAX_LINE_CHARS} characters per line)"
    )
    assert limits in page
    assert FIND_WAIT == 60
    assert "(for up\nto a minute)" in page


def test_the_secret_order_is_documented_in_order(page: str) -> None:
    section = page.split("### Where the webhook secret comes from")[1]
    section = section.split("###")[0]
    places = [
        "`--secret-file FILE`",
        "own `webhook_secret`",
        "`$KOMODO_WEBHOOK_SECRET`",
        "`compose.env` on this host",
        "Core's config file",
    ]
    positions = [section.index(place) for place in places]
    assert positions == sorted(positions)


def test_the_workflow_lints_then_triggers_with_github_secrets(page: str) -> None:
    workflow, extra_step = yaml_blocks(page)
    steps = workflow["jobs"]["lint-and-sync"]["steps"]
    commands = [step.get("run", "") for step in steps]
    lint = next(i for i, c in enumerate(commands) if c.startswith("komodo-guard lint"))
    run = next(
        i for i, c in enumerate(commands) if c.startswith("komodo-guard trigger sync ")
    )
    assert lint < run
    env = steps[run]["env"]
    assert env["KOMODO_API_KEY"] == "${{ secrets.KOMODO_API_KEY }}"
    assert env["KOMODO_API_SECRET"] == "${{ secrets.KOMODO_API_SECRET }}"
    assert all("secrets." not in c for c in commands), "a secret on a command line"
    [hook] = extra_step
    assert "--via webhook" in hook["run"]
    assert (
        hook["env"]["KOMODO_WEBHOOK_SECRET"] == "${{ secrets.KOMODO_WEBHOOK_SECRET }}"
    )


def test_the_demo_runs_both_ways_on_loopback(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """``--demo`` never sends the webhook to the demo's example URL: the
    network guard would refuse anything but loopback."""
    monkeypatch.chdir(tmp_path)
    for name in ("KOMODO_API_KEY", "KOMODO_API_SECRET", "KOMODO_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", "demo-webhook-secret")
    live = LiveOptions(demo=True)
    assert trigger("stack", "mealie", flags=TriggerFlags(), live=live) == 1
    webhook = TriggerFlags(via="webhook")
    assert trigger("stack", "traefik", flags=webhook, live=live) == 0
    out = capsys.readouterr().out
    assert "failed stage 'Git Pull'" in out
    assert "/listener/github/stack/traefik/deploy" in out
    assert "webhook run of stack 'traefik' succeeded" in out
