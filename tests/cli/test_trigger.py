"""``trigger`` end to end against the Core emulator on loopback: exit code,
stdout and stderr together, through the API and through the webhook listener."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from komodo_guard.cli import trigger as trigger_module
from komodo_guard.cli.livecheck import LiveOptions
from komodo_guard.cli.main import CoreUnavailableError, UsageError
from komodo_guard.cli.trigger import TriggerFlags, WebhookFlags, trigger
from komodo_guard.testing import CoreEmulator, Scenario
from tests.cli.conftest import KEY, SECRET, WEBHOOK_SECRET

OWN_SECRET = "kg-own-stack-secret-Ue3Rb"
LEAKED_PASSWORD = "pw-in-the-log-Xk29"


def scenario() -> Scenario:
    return Scenario(
        servers=[{"name": "hearth", "address": "https://h:8120", "enabled": True}],
        stacks=[
            {
                "name": "web",
                "server": "hearth",
                "deployed_hash": "a",
                "latest_hash": "b",
            },
            {
                "name": "broken",
                "server": "hearth",
                "deploy_fails": True,
                "deploy_logs": [
                    {"stage": "Git Pull", "command": "git pull", "success": True},
                    {
                        "stage": "Compose Up",
                        "command": "docker compose up -d",
                        "stdout": "Creating db",
                        "stderr": f"db: password={LEAKED_PASSWORD} refused\nexit 1",
                        "success": False,
                    },
                ],
            },
            {"name": "locked", "server": "hearth", "execute_error": "stack is busy"},
            {"name": "own", "server": "hearth", "webhook_secret": OWN_SECRET},
            {"name": "quiet", "server": "hearth", "webhook_enabled": False},
            {"name": "release", "server": "hearth", "branch": "release"},
        ],
        syncs=[{"name": "infra"}],
        procedures=[{"name": "nightly"}],
        actions=[{"name": "cleanup"}],
        webhook_secret=WEBHOOK_SECRET,
    )


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No config, compose.env or webhook secret but what a test puts there."""
    monkeypatch.chdir(tmp_path)
    for name in ("KOMODO_URL", "KOMODO_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def core(credentials: None) -> Iterator[CoreEmulator]:
    with CoreEmulator(
        scenario(), api_key=KEY, api_secret=SECRET, update_seconds=0.1
    ) as emulator:
        emulator.state.scenario.core_info["webhook_base_url"] = emulator.url
        yield emulator


def run(
    kind: str,
    name: str | None,
    core_url: str,
    flags: TriggerFlags | None = None,
    timeout: float = 5,
) -> int:
    """The command as ``main`` runs it: usage and Core errors become exit 2."""
    live = LiveOptions(komodo=core_url, timeout=timeout)
    try:
        return trigger(kind, name, flags=flags or TriggerFlags(), live=live)
    except (UsageError, CoreUnavailableError) as error:
        print(f"komodo-guard: error: {error}", file=sys.stderr)
        return 2


def hook(*, wait: float = 30, **given: Any) -> TriggerFlags:
    """Flags for ``--via webhook``; ``given`` are WebhookFlags fields."""
    return TriggerFlags(via="webhook", wait=wait, webhook=WebhookFlags(**given))


# -- through the API -------------------------------------------------------------


def test_a_deploy_that_succeeds(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("stack", "web", core.url) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("started DeployStack of stack 'web': Update ")
    assert lines[1].startswith("DeployStack of stack 'web' succeeded in ")
    assert len(lines) == 2
    assert err == ""


def test_if_changed_sends_deploy_stack_if_changed(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("stack", "web", core.url, TriggerFlags(if_changed=True)) == 0
    assert ("/execute", "DeployStackIfChanged") in core.requests
    assert "started DeployStackIfChanged of stack 'web'" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("kind", "name", "call"),
    [("sync", "infra", "RunSync"), ("procedure", "nightly", "RunProcedure")],
)
def test_other_kinds_run_their_call(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    name: str,
    call: str,
) -> None:
    assert run(kind, name, core.url) == 0
    assert f"{call} of {kind} '{name}' succeeded" in capsys.readouterr().out


def test_a_failed_deploy_prints_its_failed_stage_redacted(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("stack", "broken", core.url) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[1].startswith("DeployStack of stack 'broken' failed in ")
    assert lines[2:] == [
        "  failed stage 'Compose Up'",
        "    $ docker compose up -d",
        "    stderr | db: password=*** refused",
        "    stderr | exit 1",
        "    stdout | Creating db",
    ]
    assert LEAKED_PASSWORD not in out + err


def test_an_unknown_resource_could_not_start(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("stack", "nope", core.url) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "komodo-guard: error: could not start DeployStack of stack 'nope': "
        "DeployStack: Core answered 404: did not find any Stack matching nope\n"
    )


def test_a_refused_execution_could_not_start(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("stack", "locked", core.url) == 2
    assert "stack is busy" in capsys.readouterr().err


def test_a_refused_key(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMODO_API_SECRET", "not-the-secret")
    assert run("stack", "web", core.url) == 2
    err = capsys.readouterr().err
    assert "Core refused the API key (401)" in err
    assert "not-the-secret" not in err
    assert not any(call == "DeployStack" for _, call in core.requests)


def test_core_down(
    credentials: None, quick_retries: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with CoreEmulator(scenario()) as gone:
        url = gone.url
    assert run("stack", "web", url, timeout=1) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"komodo-guard: error: GetVersion: cannot reach {url}")


def test_missing_credentials_are_a_usage_error(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KOMODO_API_KEY")
    assert run("sync", "infra", core.url) == 2
    assert "KOMODO_API_KEY not set" in capsys.readouterr().err


def test_the_wait_runs_out(
    credentials: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with CoreEmulator(
        scenario(), api_key=KEY, api_secret=SECRET, update_seconds=30
    ) as core:
        assert run("sync", "infra", core.url, TriggerFlags(wait=0.6)) == 2
    out, err = capsys.readouterr()
    ident = out.split("Update ")[1].split()[0]
    assert err == (
        f"komodo-guard: RunSync of sync 'infra' had not ended when the wait ran out; "
        f"Update {ident} may still finish: follow it in Core's Updates, or wait "
        "longer with --wait\n"
    )


def test_no_wait_returns_at_once(
    credentials: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with CoreEmulator(
        scenario(), api_key=KEY, api_secret=SECRET, update_seconds=30
    ) as core:
        assert run("stack", "web", core.url, TriggerFlags(no_wait=True)) == 0
        assert [c for _, c in core.requests if c == "GetUpdate"] == []
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("started DeployStack of stack 'web': Update ")
    assert lines[1:] == ["not following it (--no-wait)"]


# -- batches ---------------------------------------------------------------------


def test_a_batch_follows_every_started_update_and_reports_refused_ones(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = TriggerFlags(pattern="web, broken, locked", if_changed=True)
    assert run("stack", None, core.url, flags) == 1
    out = capsys.readouterr().out
    assert "not started: stack 'locked': stack is busy" in out
    assert "started BatchDeployStackIfChanged 'web, broken, locked': 2 Update(s)" in out
    assert "DeployStack of stack 'web' succeeded" in out
    assert "DeployStack of stack 'broken' failed" in out
    assert "    stderr | db: password=*** refused" in out


def test_a_batch_of_successes_exits_0(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("stack", None, core.url, TriggerFlags(pattern="web")) == 0
    assert "BatchDeployStack 'web': 1 Update(s)" in capsys.readouterr().out


def test_a_batch_with_only_refusals_could_not_start(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("stack", None, core.url, TriggerFlags(pattern="locked")) == 2
    out, err = capsys.readouterr()
    assert "not started: stack 'locked': stack is busy" in out
    assert "refused every match: nothing started" in err


def test_a_batch_matching_nothing(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("procedure", None, core.url, TriggerFlags(pattern="zzz-*")) == 2
    assert "BatchRunProcedure 'zzz-*' matched nothing" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kind", "name", "flags", "message"),
    [
        ("stack", "web", TriggerFlags(pattern="*"), "not both"),
        ("stack", None, TriggerFlags(), "or give --pattern"),
        ("sync", None, TriggerFlags(pattern="*"), "no batch call for a sync"),
        ("sync", "infra", TriggerFlags(if_changed=True), "only if changed for a sync"),
        ("server", "x", TriggerFlags(), "cannot trigger a 'server'"),
        ("stack", None, TriggerFlags(pattern="*", via="webhook"), "API only"),
    ],
)
def test_usage_errors(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    name: str | None,
    flags: TriggerFlags,
    message: str,
) -> None:
    assert run(kind, name, core.url, flags) == 2
    assert message in capsys.readouterr().err
    assert not any(path == "/execute" for path, _ in core.requests)


# -- through the webhook listener ----------------------------------------------------


def test_webhook_from_the_environment_is_followed(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("sync", "infra", core.url, hook()) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "webhook secret from $KOMODO_WEBHOOK_SECRET"
    assert lines[1] == (
        f"sent a push of branch 'main' to {core.url}/listener/github/sync/infra/sync: "
        "the listener took it"
    )
    assert lines[2].startswith("the webhook started Update ")
    assert lines[3].startswith("webhook run of sync 'infra' succeeded")
    ident = lines[2].rsplit(" ", 1)[1]
    started = core.state.get_update(ident)
    assert started["operator"] == "000000000000000000000003"
    assert ("/execute", "RunSync") not in core.requests


@pytest.mark.parametrize(
    ("layout", "flags", "source"),
    [
        (
            {"hook.txt": WEBHOOK_SECRET},
            WebhookFlags(secret_file=Path("hook.txt")),
            "--secret-file hook.txt",
        ),
        (
            {"komodo/compose.env": f"KOMODO_WEBHOOK_SECRET={WEBHOOK_SECRET}\n"},
            WebhookFlags(),
            "komodo/compose.env (KOMODO_WEBHOOK_SECRET)",
        ),
        (
            {"elsewhere.env": f"KOMODO_WEBHOOK_SECRET={WEBHOOK_SECRET}\n"},
            WebhookFlags(compose_env=Path("elsewhere.env")),
            "elsewhere.env (KOMODO_WEBHOOK_SECRET)",
        ),
        (
            {"komodo/core.config.toml": f'webhook_secret = "{WEBHOOK_SECRET}"\n'},
            WebhookFlags(),
            "komodo/core.config.toml (webhook_secret)",
        ),
        (
            {
                "komodo/compose.env": f"KOMODO_WEBHOOK_SECRET={WEBHOOK_SECRET}\n",
                "komodo/core.config.toml": 'webhook_secret = "stale-and-wrong"\n',
            },
            WebhookFlags(),
            "komodo/compose.env (KOMODO_WEBHOOK_SECRET)",
        ),
    ],
)
def test_webhook_secret_sources(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    layout: dict[str, str],
    flags: WebhookFlags,
    source: str,
) -> None:
    for relative, text in layout.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    assert (
        run(
            "stack",
            "web",
            core.url,
            TriggerFlags(via="webhook", webhook=flags),
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"webhook secret from {source}"
    assert "webhook run of stack 'web' succeeded" in out


def test_the_secret_file_beats_the_environment(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", "an-old-secret-kept-in-ci")
    (tmp_path / "hook").write_text(WEBHOOK_SECRET)
    assert run("sync", "infra", core.url, hook(secret_file=tmp_path / "hook")) == 0
    assert capsys.readouterr().out.startswith(
        f"webhook secret from --secret-file {tmp_path}"
    )


def test_the_stacks_own_secret_beats_the_environment(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("stack", "own", core.url, hook()) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "webhook secret from the stack's own webhook_secret (read from Core)"
    )


def test_a_wrong_secret_is_refused_by_the_listener(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", "not-what-core-has-9f8e")
    assert run("stack", "web", core.url, hook()) == 2
    out, err = capsys.readouterr()
    assert out == "webhook secret from $KOMODO_WEBHOOK_SECRET\n"
    assert err == (
        f"komodo-guard: error: {core.url}/listener/github/stack/web/deploy: listener "
        "answered 401: request is not authenticated: invalid webhook signature; the "
        "webhook secret from $KOMODO_WEBHOOK_SECRET is not the one Core checks for "
        "this resource (its own webhook_secret, else Core's KOMODO_WEBHOOK_SECRET)\n"
    )


@pytest.mark.parametrize("placeholder", ["a_random_secret", "a_random_webhook_secret"])
def test_a_placeholder_secret_is_refused_before_sending(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    placeholder: str,
) -> None:
    (tmp_path / "compose.env").write_text(f"KOMODO_WEBHOOK_SECRET={placeholder}\n")
    assert run("stack", "web", core.url, hook()) == 2
    err = capsys.readouterr().err
    assert "compose.env (KOMODO_WEBHOOK_SECRET) is a sample value Komodo ships" in err
    assert placeholder not in err
    assert not any(call == "listener" for _, call in core.requests)


def test_gitlab_token(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("procedure", "nightly", core.url, hook(provider="gitlab")) == 0
    out = capsys.readouterr().out
    assert f"{core.url}/listener/gitlab/procedure/nightly/__ANY__" in out
    assert "webhook run of procedure 'nightly' succeeded" in out


def test_a_failing_deploy_through_the_webhook(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("stack", "broken", core.url, hook()) == 1
    out = capsys.readouterr().out
    assert "webhook run of stack 'broken' failed" in out
    assert "    stderr | db: password=*** refused" in out
    assert LEAKED_PASSWORD not in out


def test_the_resources_branch_is_pushed(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("stack", "release", core.url, hook()) == 0
    assert "sent a push of branch 'release'" in capsys.readouterr().out


def test_a_push_of_another_branch_starts_nothing(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("stack", "web", core.url, hook(branch="dev", wait=0.5)) == 2
    out, err = capsys.readouterr()
    assert "sent a push of branch 'dev'" in out
    assert "no Update of stack 'web' started within 0.5 s" in err


def test_webhook_disabled_is_refused_before_sending(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("stack", "quiet", core.url, hook()) == 2
    assert "webhook_enabled = false" in capsys.readouterr().err
    assert not any(call == "listener" for _, call in core.requests)


def test_without_an_api_key_it_is_sent_not_followed(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KOMODO_API_KEY")
    monkeypatch.delenv("KOMODO_API_SECRET")
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("action", "cleanup", core.url, hook(listener_url=core.url)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "webhook secret from $KOMODO_WEBHOOK_SECRET",
        f"sent a push of branch 'main' to {core.url}/listener/github/action/cleanup/"
        "__ANY__: the listener took it",
        "sent, not followed (no API key: export KOMODO_API_KEY and KOMODO_API_SECRET "
        "to follow it)",
    ]
    assert [call for _, call in core.requests] == ["listener"]


def test_without_an_api_key_the_listener_url_is_needed(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KOMODO_API_KEY")
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("sync", "infra", core.url, hook()) == 2
    assert "no listener URL: pass --listener-url URL" in capsys.readouterr().err


def test_core_without_webhook_base_url(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    core.state.scenario.core_info["webhook_base_url"] = ""
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("sync", "infra", core.url, hook()) == 2
    assert "Core reports no webhook_base_url" in capsys.readouterr().err


def test_webhook_unknown_resource(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("stack", "nope", core.url, hook()) == 2
    assert "could not read stack 'nope' from Core" in capsys.readouterr().err


def test_no_webhook_route_for_deployments(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KOMODO_API_KEY")
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert run("deployment", "db", core.url, hook(listener_url=core.url)) == 2
    assert "no webhook route for a deployment" in capsys.readouterr().err


def test_no_webhook_secret_anywhere(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("stack", "web", core.url, hook()) == 2
    assert "no webhook secret found" in capsys.readouterr().err


# -- the terminal ------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_stages_are_shown_on_a_terminal(
    core: CoreEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert run("stack", "broken", core.url) == 1
    assert screen.getvalue() == "  stage: Git Pull\n  stage: Compose Up\n"


def test_stages_stay_off_a_log_file(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("stack", "broken", core.url) == 1
    assert "stage:" not in capsys.readouterr().err


def test_ctrl_c_says_the_update_goes_on(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(trigger_module, "follow", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run("sync", "infra", core.url)
    out, err = capsys.readouterr()
    ident = out.split("Update ")[1].split()[0]
    assert err == (
        f"komodo-guard: stopped following Update {ident}; it goes on running on Core\n"
    )
