"""Running plain ``git`` safely: no prompts, no credential helpers, timeouts,
and errors that never carry a credential.

Every command runs with ``LC_ALL=C`` (messages we can read), without a
terminal prompt or askpass program, with credential helpers switched off,
SSH in batch mode, and ``GIT_OPTIONAL_LOCKS=0`` so that reading a checkout
never rewrites its index. Output that could hold a URL is scrubbed of
``user:password@`` before it is kept anywhere.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

DEFAULT_TIMEOUT = 30.0
_SAFE_CONFIG = (
    "-c",
    "credential.helper=",
    "-c",
    "core.askPass=",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "protocol.ext.allow=never",
)
_DROP = ("GIT_ASKPASS", "SSH_ASKPASS", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")
_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s@]*@", re.IGNORECASE)
_MAX_REASON = 300


class GitError(Exception):
    """A git command failed, timed out or could not start; the message names
    the command (``git fetch``) and git's first error line, scrubbed."""

    def __init__(self, command: str, reason: str) -> None:
        self.command = command
        self.reason = reason
        super().__init__(f"git {command}: {reason}")


@dataclass(frozen=True)
class GitResult:
    """What a git command printed and how it ended."""

    code: int
    stdout: bytes

    def fields(self) -> list[str]:
        """The NUL-separated fields of ``-z`` output, empty ones dropped."""
        return [
            part for part in self.stdout.decode("utf-8", "replace").split("\0") if part
        ]

    def lines(self) -> list[str]:
        """The output's non-empty lines."""
        return [
            line for line in self.stdout.decode("utf-8", "replace").splitlines() if line
        ]


def git_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every git command runs with."""
    env = {
        k: v
        for k, v in (os.environ if base is None else base).items()
        if k not in _DROP
    }
    env.update(
        LC_ALL="C",
        LANGUAGE="C",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_SSH_COMMAND="ssh -o BatchMode=yes",
    )
    return env


class Git:
    """Runs git in one checkout, with one timeout and one environment."""

    def __init__(
        self,
        path: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        env: Mapping[str, str] | None = None,
        secrets: Sequence[str] = (),
    ) -> None:
        self.path = path
        self.timeout = timeout
        self.env = dict(env) if env is not None else git_environment()
        self.secrets = tuple(secret for secret in secrets if secret)

    def run(
        self, *args: str, stdin: bytes | None = None, ok: tuple[int, ...] = (0,)
    ) -> GitResult:
        """Run ``git ARGS``; a :class:`GitError` unless its exit code is in ``ok``."""
        command = _command(args)
        try:
            done = subprocess.run(
                ["git", *_SAFE_CONFIG, "-C", self.path, *args],
                input=stdin,
                capture_output=True,
                env=self.env,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            # Not chained: the timeout error keeps git's raw, unscrubbed output.
            raise GitError(command, f"no answer within {self.timeout:g} s") from None
        except OSError as error:
            raise GitError(command, f"cannot run git: {error.strerror}") from error
        if done.returncode not in ok:
            raise GitError(command, self.reason(done.stderr, done.returncode))
        return GitResult(done.returncode, done.stdout)

    def reason(self, stderr: bytes, code: int) -> str:
        """git's first error line, without credentials, or its exit code."""
        text = scrub(stderr.decode("utf-8", "replace"), self.secrets)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        wanted = [line for line in lines if line.startswith(("fatal:", "error:"))]
        line = (wanted or lines or [f"exit code {code}"])[0]
        return line if len(line) <= _MAX_REASON else line[: _MAX_REASON - 1] + "…"


def _command(args: Sequence[str]) -> str:
    """The git subcommand in ``args``, past options such as ``-c KEY=VALUE``."""
    words = iter(args)
    for word in words:
        if word == "-c":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return "git"


def scrub(text: str, secrets: Sequence[str] = ()) -> str:
    """``text`` with every ``scheme://user:password@`` reduced to
    ``scheme://***@`` and every known secret replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _USERINFO.sub(r"\g<scheme>***@", text)


def split_credentials(url: str) -> tuple[str, tuple[str, ...]]:
    """A remote URL without its user information or query, and the secrets
    they held (the password, a token given as the user, a query string), to
    scrub from any output. SSH URLs name a user, not a secret."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return scrub(url), ()
    if not parts.scheme:
        return url, ()
    host = parts.netloc
    secrets: list[str] = []
    if "@" in parts.netloc:
        userinfo, _, after = parts.netloc.rpartition("@")
        user, colon, password = userinfo.partition(":")
        if colon or parts.scheme not in ("ssh", "git+ssh"):
            secrets.append(password if colon else user)
            host = after
    if parts.query:
        secrets.append(parts.query)
    shown = parts._replace(netloc=host, query="", fragment="")
    return urlunsplit(shown), tuple(secret for secret in secrets if secret)
