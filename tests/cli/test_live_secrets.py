"""No secret reaches any output of the live commands: not the API key or
secret, not a secret Variable's value, not an alerter URL's token, not the
webhook secret; in every format, in the reports, and in -vv diagnostics."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from komodo_guard.live.client import CoreClient
from komodo_guard.testing import CoreEmulator
from tests.cli.conftest import (
    ALERTER_TOKEN,
    KEY,
    SECRET,
    SECRETS,
    VARIABLE_VALUE,
)

HOMELAB = Path(__file__).resolve().parents[2] / "examples" / "homelab"


def komodo_guard(cwd: Path, *argv: str) -> str:
    """Run the command in a fresh process; its stdout and stderr, joined."""
    env = {
        "KOMODO_API_KEY": KEY,
        "KOMODO_API_SECRET": SECRET,
        "HOME": str(cwd),
        "PATH": os.environ.get("PATH", ""),
        # The HTTP libraries' own debug lines too: where headers would leak.
        "KOMODO_GUARD_DEBUG": "http",
    }
    done = subprocess.run(
        [sys.executable, "-m", "komodo_guard", *argv, "-vv"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr
    return done.stdout + done.stderr


def test_the_emulator_really_serves_the_secrets(demo_core: CoreEmulator) -> None:
    """Guard against a vacuous test: Core's raw answers hold them."""
    with CoreClient(demo_core.url, KEY, SECRET) as client:
        raw = f"{client.read('ListFullAlerters')} {client.read('ListVariables')}"
    assert ALERTER_TOKEN in raw
    assert VARIABLE_VALUE in raw


def test_no_secret_in_any_output_log_or_report(
    demo_core: CoreEmulator, tmp_path: Path
) -> None:
    url = ("--komodo", demo_core.url)
    texts = [
        komodo_guard(tmp_path, "drift", str(HOMELAB), *url, "-f", fmt)
        for fmt in ("text", "github", "json", "sarif", "junit")
    ]
    texts.append(komodo_guard(tmp_path, "audit", str(HOMELAB), *url, "-o", "A.md"))
    texts.append(komodo_guard(tmp_path, "audit", str(HOMELAB), *url, "-o", "A.html"))
    listing = komodo_guard(tmp_path, "postmortem", "--list", *url)
    texts.append(listing)
    for line in listing.splitlines():
        if line[:1].isalpha() and "  " in line:
            ident = line.split("  ", 1)[0]
            texts.append(
                komodo_guard(tmp_path, "postmortem", ident, *url, "-o", f"{ident}.md")
            )
    files = sorted(p for p in tmp_path.iterdir() if p.is_file())
    assert {p.suffix for p in files} >= {".md", ".html", ".svg"}
    texts.extend(p.read_text(encoding="utf-8") for p in files)
    assert any("DEBUG" in text for text in texts), "-vv gave no debug lines"
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


@pytest.mark.usefixtures("credentials")
def test_a_missing_key_is_a_usage_error_in_a_real_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "komodo_guard",
            "drift",
            "--komodo",
            "http://127.0.0.1:1",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env={"KOMODO_API_SECRET": SECRET, "PATH": os.environ.get("PATH", "")},
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "komodo-guard: error: KOMODO_API_KEY not set: export the API key and "
        "secret of a Komodo user (Settings > API Keys) before calling Core\n"
    )
