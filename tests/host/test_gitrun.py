"""The git runner: environment, credentials kept out of every message."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.host.gitrun import (
    Git,
    GitError,
    git_environment,
    scrub,
    split_credentials,
)

TOKEN = "ghp_S3cr3tT0kenValue42"


@pytest.mark.parametrize(
    ("url", "shown", "secrets"),
    [
        (
            f"https://token:{TOKEN}@github.com/acme/app.git",
            "https://github.com/acme/app.git",
            (TOKEN,),
        ),
        (
            f"https://{TOKEN}@github.com/acme/app",
            "https://github.com/acme/app",
            (TOKEN,),
        ),
        (
            f"https://h.lan/acme/app?access_token={TOKEN}",
            "https://h.lan/acme/app",
            (f"access_token={TOKEN}",),
        ),
        ("https://github.com/acme/app.git", "https://github.com/acme/app.git", ()),
        ("ssh://git@github.com/acme/app.git", "ssh://git@github.com/acme/app.git", ()),
        ("git@github.com:acme/app.git", "git@github.com:acme/app.git", ()),
    ],
)
def test_split_credentials(url: str, shown: str, secrets: tuple[str, ...]) -> None:
    assert split_credentials(url) == (shown, secrets)


def test_scrub_hides_userinfo_and_known_secrets() -> None:
    text = f"fatal: unable to access 'https://token:{TOKEN}@h/x/': refused {TOKEN}"

    assert (
        scrub(text, (TOKEN,))
        == "fatal: unable to access 'https://***@h/x/': refused ***"
    )


def test_environment_has_no_prompts_or_askpass() -> None:
    env = git_environment(
        {"GIT_ASKPASS": "/bin/echo", "SSH_ASKPASS": "x", "PATH": "/bin"}
    )

    assert "GIT_ASKPASS" not in env
    assert "SSH_ASKPASS" not in env
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    assert env["LC_ALL"] == "C"
    assert env["GIT_OPTIONAL_LOCKS"] == "0"


def test_failure_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(GitError) as caught:
        Git(str(tmp_path)).run("-c", "gc.auto=0", "status")

    assert caught.value.command == "status"
    assert caught.value.reason.startswith("fatal: not a git repository")


def test_timeout_is_reported(tmp_path: Path) -> None:
    with pytest.raises(GitError, match=r"no answer within 1e-06 s"):
        Git(str(tmp_path), timeout=1e-6).run("version")
