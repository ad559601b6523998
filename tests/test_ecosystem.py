"""The pre-commit hook and the GitHub Action: their metadata and the action's
lint script, run for real against small trees."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
import yamlcore

from komodo_guard.cli.main import build_parser
from tests.conftest import TreeFactory

ROOT = Path(__file__).resolve().parents[1]
GUARD = Path(sys.executable).with_name("komodo-guard")
WARNING_TREE = {
    "servers.toml": '[[server]]\nname = "local"\n[server.config]\nadress = "x"\n'
}


def _yaml(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def _scripts() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    scripts: dict[str, str] = project["project"]["scripts"]
    return scripts


# pre-commit


def test_pre_commit_hook_runs_the_linter_once_on_the_whole_tree() -> None:
    (hook,) = _yaml(".pre-commit-hooks.yaml")
    assert hook["id"] == "komodo-guard"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["require_serial"] is True
    program, *arguments = shlex.split(hook["entry"])
    assert program in _scripts()
    assert build_parser().parse_args(arguments).command == "lint"


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        ("komodo/stacks.toml", True),
        ("stacks/app/compose.yaml", True),
        ("docker-compose.yml", True),
        (".env", True),
        ("stacks/app/app.env", True),
        ("README.md", False),
        ("scripts/deploy.sh", False),
        ("komodo/stacks.toml.orig", False),
    ],
)
def test_pre_commit_hook_runs_only_for_files_the_linter_reads(
    path: str, runs: bool
) -> None:
    (hook,) = _yaml(".pre-commit-hooks.yaml")
    assert bool(re.search(hook["files"], path)) is runs


# GitHub Action metadata

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _expressions(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [e for value in node.values() for e in _expressions(value)]
    if isinstance(node, list):
        return [e for value in node for e in _expressions(value)]
    return _EXPRESSION.findall(node) if isinstance(node, str) else []


def test_action_is_composite_with_the_documented_inputs() -> None:
    action = _yaml("action.yml")
    assert action["runs"]["using"] == "composite"
    assert action["inputs"]["path"]["default"] == "."
    assert action["inputs"]["fail-on"]["default"] == "warning"
    assert action["inputs"]["sarif"]["default"] == "komodo-guard.sarif"
    assert set(action["inputs"]) == {
        "path",
        "komodo-version",
        "fail-on",
        "sarif",
        "version",
    }
    for name, spec in action["inputs"].items():
        assert spec["description"], name


def _vendored_schema_errors(schema_name: str, document: Any) -> list[str]:
    """Errors against a schema check-jsonschema vendors from SchemaStore."""
    text = (
        resources.files("check_jsonschema.builtin_schemas.vendor")
        .joinpath(schema_name)
        .read_text(encoding="utf-8")
    )
    schema = json.loads(text)
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [error.message for error in validator.iter_errors(document)]


def test_action_metadata_follows_the_github_actions_schema() -> None:
    action = _yaml("action.yml")
    assert _vendored_schema_errors("github-actions.json", action) == []
    del action["runs"]["steps"][0]["uses"]
    assert _vendored_schema_errors("github-actions.json", action)


def test_action_uses_only_defined_inputs_and_every_input() -> None:
    action = _yaml("action.yml")
    used = {
        match.group(1)
        for expression in _expressions(action)
        for match in re.finditer(r"\binputs\.([\w-]+)", expression)
    }
    assert used == set(action["inputs"])


def test_action_refers_only_to_its_own_steps_and_known_contexts() -> None:
    action = _yaml("action.yml")
    step_ids = {step["id"] for step in action["runs"]["steps"] if "id" in step}
    for expression in _expressions(action):
        context = expression.split(".", 1)[0]
        assert context in {"inputs", "steps", "runner", "github"}, expression
        if context == "steps":
            assert expression.split(".")[1] in step_ids, expression


def test_action_steps_are_pinned_and_pass_inputs_as_environment() -> None:
    for step in _yaml("action.yml")["runs"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]
        else:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "expressions in shell text inject code"


def test_action_script_is_in_the_repository() -> None:
    steps = _yaml("action.yml")["runs"]["steps"]
    scripts = re.findall(r"\$GITHUB_ACTION_PATH/(\S+?)\"", str(steps))
    assert scripts == ["action/lint.sh"]
    assert (ROOT / "action" / "lint.sh").is_file()


def test_lint_flags_of_the_action_exist_in_the_cli() -> None:
    text = (ROOT / "action" / "lint.sh").read_text(encoding="utf-8")
    flags = set(re.findall(r"(?<![\w-])(--[a-z][\w-]+)", text))
    lint = build_parser().parse_args(["lint"])
    known = {f"--{name.replace('_', '-')}" for name in vars(lint)} | {"--quiet"}
    assert flags
    assert flags <= known


# The action's lint script, run for real


@pytest.fixture
def run_action(tmp_path: Path) -> Any:
    if shutil.which("bash") is None:
        pytest.skip("bash is needed to run action/lint.sh")

    def run(tree: Path, **inputs: str) -> tuple[int, str, str, dict[str, str]]:
        outputs = tmp_path / "github-output"
        outputs.write_text("")
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ["HOME"],
            "KOMODO_GUARD": str(GUARD),
            "GITHUB_OUTPUT": str(outputs),
            "KG_PATH": tree.name,
            **{f"KG_{key.upper()}": value for key, value in inputs.items()},
        }
        done = subprocess.run(
            ["bash", str(ROOT / "action" / "lint.sh")],
            cwd=tree.parent,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        pairs = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
        return done.returncode, done.stdout, done.stderr, pairs

    return run


def test_action_fails_on_findings_and_still_writes_sarif(
    make_tree: TreeFactory, run_action: Any
) -> None:
    tree = make_tree(WARNING_TREE)
    code, out, _, outputs = run_action(tree, sarif="kg.sarif")
    assert code == 1
    annotation = "::warning file=tree/servers.toml,line=4,col=1,title=KG102 unknown-key"
    assert f"{annotation}::" in out
    assert outputs == {"sarif": "kg.sarif", "exit-code": "1"}
    sarif = json.loads((tree.parent / "kg.sarif").read_text(encoding="utf-8"))
    rules = {r["ruleId"] for run in sarif["runs"] for r in run["results"]}
    assert "KG102" in rules


def test_action_passes_below_the_threshold(
    make_tree: TreeFactory, run_action: Any
) -> None:
    tree = make_tree(WARNING_TREE)
    code, out, _, outputs = run_action(tree, sarif="kg.sarif", fail_on="error")
    assert code == 0
    assert "title=KG102 unknown-key" in out
    assert outputs == {"sarif": "kg.sarif", "exit-code": "0"}


def test_action_without_sarif_writes_none(
    make_tree: TreeFactory, run_action: Any
) -> None:
    tree = make_tree(WARNING_TREE)
    code, _, _, outputs = run_action(tree, sarif="")
    assert code == 1
    assert outputs == {"sarif": "", "exit-code": "1"}
    assert not list(tree.parent.glob("*.sarif"))


def test_action_reports_a_run_that_could_not_complete(
    make_tree: TreeFactory, run_action: Any
) -> None:
    tree = make_tree({**WARNING_TREE, "komodo-guard.toml": "fail-on = 'error'\n"})
    (tree.parent / "kg.sarif").write_text("stale")
    code, out, err, outputs = run_action(tree, sarif="kg.sarif")
    assert code == 2
    assert outputs == {"sarif": "", "exit-code": "2"}
    assert "::error title=komodo-guard::no SARIF report was written" in out
    assert "unknown key `fail-on` at the top level; did you mean `fail_on`?" in err
    assert not (tree.parent / "kg.sarif").exists()


def test_action_passes_the_komodo_version(
    make_tree: TreeFactory, run_action: Any
) -> None:
    tree = make_tree(WARNING_TREE)
    code, _, err, _ = run_action(tree, sarif="", komodo_version="0.9")
    assert code == 2
    assert "0.9" in err


# Documentation of both


def test_action_docs_show_the_upload_with_its_permission() -> None:
    page = (ROOT / "docs" / "github-action.md").read_text(encoding="utf-8")
    # YAML 1.2 like GitHub, so that `on:` stays a key and does not become true.
    found = re.findall(r"```yaml\n(.*?)```", page, re.S)
    blocks = [yaml.load(block, Loader=yamlcore.CoreLoader) for block in found]
    workflow = next(b for b in blocks if isinstance(b, dict) and "jobs" in b)
    assert _vendored_schema_errors("github-workflows.json", workflow) == []
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    uses = [step.get("uses", "") for step in job["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@v") for u in uses)
    upload = next(s for s in job["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "komodo-guard.sarif"


def test_readme_documents_pre_commit_and_github_actions() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n### pre-commit\n" in readme
    assert "\n### GitHub Actions\n" in readme
    assert "id: komodo-guard" in readme
