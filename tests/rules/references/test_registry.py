"""The references group: registration, corpus traps, and speed at scale."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.komodo.model import load
from komodo_guard.rules import registry
from komodo_guard.rules.engine import run_rules
from komodo_guard.rules.interface import RuleOptions, Severity
from komodo_guard.rules.references import RULES
from komodo_guard.workspace.collect import collect
from tests.conftest import TreeFactory

# EXPECTED.md "Must not report": none of these lines may get an error from this group.
MUST_NOT_REPORT = {
    "repo22": {("komodo.toml", n) for n in (6, 30, *range(17, 24))},
    "repo31": {("komodo/stacks.toml", 14)},
    "repo28": {("stacks/caddy/komodo.toml", n) for n in (5, 10, 17, 20, 21, 22, 23)}
    | {("stacks/recyclarr/komodo.toml", 18), ("komodo/procedures.toml", 11)},
    "repo03": {("deploy.toml", 12), ("deploy.toml", 13)},
    "repo08": {("services/caddy/caddy-sequoia/stack.toml", 34)},
    "repo11": {
        (f"komodo/stacks/{name}.toml", 13)
        for name in ("litellm", "librechat", "model-hotel", "newt", "pangolin")
    },
    "repo36": {("stacks/canary-secret-bad/komodo.toml", 26)}
    | {("komodo/procedures.toml", n) for n in (9, 10, 11)},
    "repo21": {("komodo/resources.toml", n) for n in (64, 286, 307)},
    "repo14": {("komodo.toml", n) for n in (355, 520, 597)},
    "repo27": {("komodo.toml", 472)},
    "repo20": {
        ("komodo-lisa.toml", 15),
        ("komodo-lovelace.toml", 16),
        ("komodo-common.toml", 9),
        ("komodo.toml", 23),
    },
    "repo02": {("komodo/procedures.toml", 9), ("komodo/procedures.toml", 10)},
    "repo23": {("komodo/config.toml", 22)},
    "repo13": {("komodo/komodo.toml", 70)},
    "repo39": {("komodo.toml", 148)},
    "repo06": {("komodo/resources.toml", 45), ("komodo/resources.toml", 94)},
    "repo37": {("komodo/sync.toml", n) for n in (477, 544, 640)},
    "repo32": {("komodo/resources.toml", n) for n in (110, 113, 119, 122)},
}


def test_rules_are_in_code_order_and_registered() -> None:
    codes = [rule.code for rule in RULES]
    assert codes == [f"KG2{n:02d}" for n in range(1, 16)]
    for rule in RULES:
        assert registry.find(rule.code) is rule
        assert registry.find(rule.name) is rule
        assert rule.doc.strip().splitlines()[0].endswith(".")


def _error_lines(root: Path) -> set[tuple[str, int]]:
    found = run_rules(collect(root, load()), RULES, RuleOptions())
    return {
        (f.location.path, f.location.line)
        for f in found
        if f.location and f.severity is Severity.ERROR
    }


def test_corpus_traps_get_no_error(shared: Path) -> None:
    real = shared / "corpus/real"
    for repo, lines in MUST_NOT_REPORT.items():
        assert not (_error_lines(real / repo) & lines), repo


def test_corpus_repo19_linked_repo_lines_get_no_error(shared: Path) -> None:
    root = shared / "corpus/real/repo19"
    linked = {
        (str(path.relative_to(root)), number)
        for path in root.rglob("*.toml")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.lstrip().startswith("linked_repo")
    }
    assert linked
    assert not (_error_lines(root) & linked)


def test_thousands_of_resources_give_one_finding_per_problem(
    make_tree: TreeFactory,
) -> None:
    files: dict[str, str | bytes] = {}
    for part in range(2):
        blocks = []
        for index in range(1000):
            name = f"s{part}-{index}"
            parent = f"s{part}-{index - 1}" if index else "base"
            blocks.append(
                f'[[stack]]\nname = "{name}"\ndeploy = true\n'
                f'after = ["{parent}", "x{name}"]\n'
                f'[stack.config]\nserver = "host-{index % 7}"\n'
                f'repo = "owner/app-{index}"\n'
            )
        files[f"stacks/{part}.toml"] = "".join(blocks)
    files["base.toml"] = (
        '[[stack]]\nname = "base"\ndeploy = true\n'
        '[[procedure]]\nname = "all"\n[[procedure.config.stage]]\nname = "s"\n'
        'executions = [ { execution.type = "BatchDeployStack", '
        'execution.params.pattern = "s1-*" } ]\n'
    )
    workspace = collect(make_tree(files), load())
    assert len(workspace.resources) > 2_000

    found = run_rules(workspace, RULES, RuleOptions())

    assert {f.code for f in found} == {"KG203", "KG207"}
    assert sum(f.code == "KG207" for f in found) == 2_000
