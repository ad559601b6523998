"""``komodo-guard notify test``: one line per channel, exit 0/1/2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from tests.notify.servers import HttpRecorder, Reply


@pytest.fixture
def hook() -> Iterator[HttpRecorder]:
    server = HttpRecorder()
    yield server
    server.close()


def channels(tmp_path: Path, *tables: str) -> Path:
    path = tmp_path / "komodo-guard.toml"
    path.write_text("".join(f"[[notify.channel]]\n{t}\n" for t in tables))
    return path


def run(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["notify", "test", "--config", str(config)])
    out, err = capsys.readouterr()
    return code, out, err


def test_every_channel_delivered_is_exit_0(
    tmp_path: Path, hook: HttpRecorder, capsys: pytest.CaptureFixture[str]
) -> None:
    config = channels(
        tmp_path,
        f'type = "webhook"\nname = "ops"\nurl = "{hook.url}/a"',
        f'type = "ntfy"\nurl = "{hook.url}/komodo"',
    )
    assert run(config, capsys) == (
        0,
        "ops (webhook): delivered\nntfy (ntfy): delivered\n",
        "",
    )
    body = json.loads(hook.requests[0].body)
    assert (body["transition"], body["title"]) == ("test", "komodo-guard test message")
    assert hook.requests[1].path == "/komodo"


def test_a_failing_channel_is_named_with_its_reason_and_exit_1(
    tmp_path: Path, hook: HttpRecorder, capsys: pytest.CaptureFixture[str]
) -> None:
    hook.reply(Reply(status=403))
    config = channels(
        tmp_path,
        f'type = "slack"\nurl = "{hook.url}/services/T000/B000/sekrit-token"',
        f'type = "webhook"\nurl = "{hook.url}/b"',
    )
    code, out, err = run(config, capsys)
    assert code == 1
    assert err == ""
    first, second = out.splitlines()
    assert first.startswith("slack (slack): failed: ")
    assert "403" in first
    assert "sekrit-token" not in first
    assert second == "webhook (webhook): delivered"


def test_an_unset_env_reference_fails_that_channel_only(
    tmp_path: Path,
    hook: HttpRecorder,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KG_TEST_HOOK", raising=False)
    config = channels(tmp_path, 'type = "discord"\nurl = "env:KG_TEST_HOOK"')
    code, out, _ = run(config, capsys)
    assert code == 1
    assert out.startswith("discord (discord): failed: ")
    assert "KG_TEST_HOOK" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "no [[notify.channel]] table"),
        (
            '[[notify.channel]]\ntype = "telegram"\n',
            ":2:1: [[notify.channel]] #1 key `type`: is 'telegram', not a channel type",
        ),
        (
            '[[notify.channel]]\ntype = "gotify"\nurl = "https://g.example"\n',
            ":1:1: [[notify.channel]] #1 key `token`: is missing",
        ),
    ],
)
def test_config_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    config = tmp_path / "komodo-guard.toml"
    config.write_text(text)
    code, out, err = run(config, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("komodo-guard: error: ")
    assert expected in err


def test_no_config_in_the_current_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["notify", "test"]) == 2
    assert "no komodo-guard.toml in the current folder" in capsys.readouterr().err
