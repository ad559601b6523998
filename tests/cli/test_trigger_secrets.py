"""No secret reaches any output of ``trigger``: not the API key or secret, not
the webhook secret, not a password in a failed stage's log; on stdout, stderr,
or the log at debug level, whichever way the run ends."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from komodo_guard.testing import CoreEmulator
from tests.cli.test_trigger import hook, run, scenario

visible = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126),
    min_size=16,
    max_size=40,
).map(lambda text: f"~{text}~")
"""Framed by ``~``, which no output holds, so a secret never coincides with
the fixed text of a message (Hypothesis draws from the code's own strings)."""
password_like = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!@#%^*+=/",
    min_size=16,
    max_size=40,
).map(lambda text: f"~{text}~")
"""What `redact` masks after ``password=``: it stops at quotes, spaces, ``,;&``."""
PROPERTY = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def assert_hidden(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text
        assert secret[:8] not in text
        assert secret[-8:] not in text


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KOMODO_URL", raising=False)
    monkeypatch.delenv("KOMODO_WEBHOOK_SECRET", raising=False)


def shown(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> str:
    out, err = capsys.readouterr()
    return f"{out}\n{err}\n{caplog.text}"


@PROPERTY
@given(key=visible, secret=visible, webhook=visible, password=password_like)
def test_no_secret_in_any_output_of_a_run(
    key: str,
    secret: str,
    webhook: str,
    password: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    capsys.readouterr()
    scene = scenario()
    scene.webhook_secret = webhook
    scene.stacks[1]["deploy_logs"][1]["stderr"] = f"login: password={password}\n"
    monkeypatch.setenv("KOMODO_API_KEY", key)
    monkeypatch.setenv("KOMODO_API_SECRET", secret)
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", webhook)
    with CoreEmulator(
        scene, api_key=key, api_secret=secret, update_seconds=0.05
    ) as core:
        core.state.scenario.core_info["webhook_base_url"] = core.url
        codes = [
            run("stack", "broken", core.url),
            run("stack", "broken", core.url, hook()),
            run("stack", None, core.url, hook()),
        ]
        monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", webhook[::-1] + "x")
        codes.append(run("stack", "web", core.url, hook()))
        monkeypatch.setenv("KOMODO_API_SECRET", secret[::-1] + "x")
        codes.append(run("stack", "web", core.url))
    assert codes == [1, 1, 2, 2, 2]
    text = shown(capsys, caplog)
    assert "DEBUG" in text or "INFO" in text, "the log was not captured"
    assert_hidden(text, key, secret, webhook, password)


@PROPERTY
@given(
    webhook=st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.",
        min_size=16,
        max_size=40,
    ).map(lambda text: f"~{text}~"),
    provider=st.sampled_from(["github", "gitlab"]),
)
def test_no_webhook_secret_from_compose_env_in_output(
    webhook: str,
    provider: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    capsys.readouterr()
    (tmp_path / "compose.env").write_text(f"KOMODO_WEBHOOK_SECRET={webhook}\n")
    monkeypatch.delenv("KOMODO_API_KEY", raising=False)
    scene = scenario()
    scene.webhook_secret = webhook
    with CoreEmulator(scene, update_seconds=0.05) as core:
        flags = hook(listener_url=core.url, provider=provider)
        assert run("sync", "infra", core.url, flags) == 0
    text = shown(capsys, caplog)
    assert "webhook secret from compose.env (KOMODO_WEBHOOK_SECRET)" in text
    assert_hidden(text, webhook)
