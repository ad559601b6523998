"""The console-script entry point, run as a real process."""

import json
import subprocess
import sys

from tests.conftest import TreeFactory

TREE: dict[str, str | bytes] = {
    "servers.toml": '[[server]]\nname = "local"\n[server.config]\nadress = "x"\n'
}


def _entry(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from komodo_guard.cli.main import entry; entry()",
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_entry_flushes_the_whole_report_before_it_exits(
    make_tree: TreeFactory,
) -> None:
    done = _entry("lint", str(make_tree(TREE)), "--format", "json")
    report = json.loads(done.stdout)
    assert "KG102" in [f["code"] for f in report["findings"]]
    assert (done.returncode, done.stderr) == (1, "")


def test_entry_exits_with_the_command_s_code(make_tree: TreeFactory) -> None:
    tree = str(make_tree({"a.toml": '[[server]]\nname = "a"\n'}))
    warned = _entry("lint", tree, "--format", "text")
    passed = _entry("lint", tree, "--format", "text", "--fail-on", "error")
    assert (warned.returncode, passed.returncode) == (1, 0)
    assert passed.stdout == warned.stdout
    assert passed.stdout.endswith("0 errors, 2 warnings, 0 infos\n")
