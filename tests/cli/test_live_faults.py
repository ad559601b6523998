"""Every injected fault on a key call ends in exit 2 and one clear line naming
the call: never a traceback, never a hang."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from komodo_guard.testing import CoreEmulator, Fault
from tests.cli.conftest import KEY, SECRET

TIMEOUT = 0.5
FAULTS = {
    "status-500": Fault("status", status=500),
    "status-401": Fault("status", status=401),
    "status-503": Fault("status", status=503),
    "malformed": Fault("malformed"),
    "truncated": Fault("truncated"),
    "hang": Fault("hang"),
    "slow": Fault("latency", seconds=3),
}
EXPECTED = {
    "status-500": "Core answered 500: injected fault: status 500",
    "status-401": "Core refused the API key (401): injected fault: status 401",
    "status-503": "Core answered 503: injected fault: status 503",
    "malformed": "answer is not JSON",
    "truncated": "broken or truncated answer",
    "hang": f"no answer within {TIMEOUT:g} s",
    "slow": f"no answer within {TIMEOUT:g} s",
}
# Two attempts of at most TIMEOUT each per call, plus slack for the rest.
BOUND = 2 * TIMEOUT * 2 + 4


def drift(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str], tree: Path
) -> tuple[int, str, str, float]:
    began = time.monotonic()
    code = main(["drift", "--komodo", core.url, "--timeout", str(TIMEOUT), str(tree)])
    elapsed = time.monotonic() - began
    out, err = capsys.readouterr()
    return code, out, err, elapsed


@pytest.mark.usefixtures("quick_retries")
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("call", ["ListStacks", "ListUpdates"])
def test_a_fault_on_a_list_is_an_incomplete_finding(
    demo_core: CoreEmulator,
    call: str,
    fault: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    demo_core.inject(call, FAULTS[fault])
    code, out, err, elapsed = drift(demo_core, capsys, tmp_path)
    assert code == 2
    assert "Traceback" not in out + err
    naming = [line for line in out.splitlines() if f"read {call} " in line]
    assert len(naming) == 1, out
    assert naming[0].startswith(
        f"error KG000 check-incomplete: could not read {call} from Komodo Core: "
    )
    assert EXPECTED[fault] in naming[0]
    assert elapsed < BOUND


@pytest.mark.usefixtures("quick_retries")
@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_on_get_version_stops_with_one_line(
    demo_core: CoreEmulator,
    fault: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    demo_core.inject("GetVersion", FAULTS[fault])
    code, out, err, elapsed = drift(demo_core, capsys, tmp_path)
    assert (code, out) == (2, "")
    assert err.startswith("komodo-guard: error: GetVersion: ")
    assert EXPECTED[fault] in err
    assert err.count("\n") == 1
    assert elapsed < BOUND


def test_a_hang_in_a_real_process_ends_without_a_traceback(
    demo_core: CoreEmulator, tmp_path: Path
) -> None:
    """The installed command, with its real retries and backoff, ends on its own."""
    demo_core.inject("ListStacks", Fault("hang"))
    began = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "komodo_guard",
            "drift",
            "--komodo",
            demo_core.url,
            "--timeout",
            str(TIMEOUT),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"KOMODO_API_KEY": KEY, "KOMODO_API_SECRET": SECRET, "PATH": ""},
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    [warning] = done.stderr.splitlines()
    assert warning.startswith(
        "komodo-guard: WARNING: could not read ListStacks from Komodo Core: "
        f"no answer within {TIMEOUT:g} s; 4 attempts over "
    )
    assert "could not read ListStacks from Komodo Core: no answer within" in done.stdout
    # 4 attempts of TIMEOUT with backoff (at most 0.5 + 1 + 2 s plus jitter).
    assert time.monotonic() - began < 4 * TIMEOUT + 8 + 5
