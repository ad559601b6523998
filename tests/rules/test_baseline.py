import json
from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from komodo_guard.rules.baseline import Baseline, BaselineError
from tests.conftest import TreeFactory

OLD = '[[stack]]\nname = "a"\n[stack.config]\npolll = 1\n'
NEW = OLD + "other_typo = 2\n"


def test_only_new_findings_fail_after_a_baseline(
    make_tree: TreeFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree({"s.toml": OLD})
    baseline = tmp_path / "baseline.json"
    assert main(["lint", str(root), "--write-baseline", str(baseline)]) == 0
    assert main(["lint", str(root), "--baseline", str(baseline)]) == 0
    (root / "s.toml").write_text("# a line moves everything down\n" + NEW)
    capsys.readouterr()
    assert main(["lint", str(root), "--baseline", str(baseline), "-f", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    active = [(f["code"], f["line"]) for f in findings if not f["suppressed"]]
    assert active == [("KG102", 6)]
    assert [f["suppressed"] for f in findings if f["line"] == 5] == ["in baseline"]


def test_a_bad_baseline_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"version": 1, "findings": [{}]}')
    with pytest.raises(BaselineError, match="finding 0 has no fingerprint"):
        Baseline.load(path)
    path.write_text("{nope")
    with pytest.raises(BaselineError, match=r"b.json:1:2: not JSON"):
        Baseline.load(path)
    path.write_text("[]")
    with pytest.raises(BaselineError, match="not a komodo-guard baseline"):
        Baseline.load(path)


def test_cli_reports_an_unreadable_baseline_with_exit_2(
    make_tree: TreeFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree({"s.toml": OLD})
    assert main(["lint", str(root), "--baseline", str(tmp_path / "none.json")]) == 2
    assert "none.json: cannot read" in capsys.readouterr().err
