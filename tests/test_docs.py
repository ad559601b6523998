import inspect
import re
from pathlib import Path

import pytest

from komodo_guard.docs import COMMAND, main, rules_page, summary, to_markdown
from komodo_guard.rules.interface import RuleInfo
from komodo_guard.rules.registry import ALL_RULES, STATIC_RULES

PAGE = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_checked_in_rules_page_is_current() -> None:
    assert PAGE.read_text(encoding="utf-8") == rules_page(ALL_RULES), (
        f"docs/rules.md is stale: run `.venv/bin/{COMMAND}` to update it"
    )


def test_every_rule_has_an_indexed_section() -> None:
    page = rules_page(ALL_RULES)
    headings = re.findall(r"^## (KG\d{3,4}) (\S+)$", page, flags=re.MULTILINE)
    assert headings == [(rule.code, rule.name) for rule in ALL_RULES]
    for rule in ALL_RULES:
        anchor = f"{rule.code} {rule.name}".lower().replace(" ", "-")
        assert f"| [{rule.code}](#{anchor}) | `{rule.name}` |" in page
        section = page.split(f"## {rule.code} ", 1)[1].split("\n## ", 1)[0]
        assert (
            f"Default severity: **{rule.severity.label}** · "
            f"class: `{rule.failure_class.value}`"
        ) in section


def test_page_has_no_rst_left_and_balanced_fences() -> None:
    page = rules_page(ALL_RULES)
    assert "``" not in page.replace("```", "")
    assert not re.search(r"::$", page, flags=re.MULTILINE)
    fences = re.findall(r"^```(\w*)$", page, flags=re.MULTILINE)
    assert len(fences) % 2 == 0
    assert set(fences[0::2]) <= {"toml", "yaml"}
    assert set(fences[1::2]) == {""}


def test_literal_paragraph_becomes_a_fenced_toml_block() -> None:
    doc = (
        "Summary line.\n\n"
        "Failing (target 1.17)::\n\n"
        "    [[stack]]\n"
        '    name = "app"\n\n'
        "      # still in the block\n\n"
        "Passing: the ``same`` file.\n"
    )
    assert to_markdown(doc) == (
        "Summary line.\n\n"
        "Failing (target 1.17):\n\n"
        "```toml\n"
        "[[stack]]\n"
        'name = "app"\n\n'
        "  # still in the block\n"
        "```\n\n"
        "Passing: the `same` file.\n"
    )


def test_compose_examples_are_yaml_even_after_a_comment() -> None:
    doc = "Failing::\n\n    # compose.yaml\n    services:\n      web: {}\n"
    assert "```yaml\n# compose.yaml\nservices:\n  web: {}\n```" in to_markdown(doc)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("list them in the config::", "list them in the config:"),
        ("list them in the config ::", "list them in the config"),
    ],
)
def test_double_colon_marker_follows_rst(line: str, expected: str) -> None:
    assert to_markdown(f"{line}\n\n    [known]\n").startswith(f"{expected}\n\n```")


def test_literals_may_wrap_lines_but_not_paragraphs() -> None:
    doc = "Runs ``docker compose\n...`` here; ``a``.\n\nA lone `` mark.\n\nAnd ``b``.\n"
    assert to_markdown(doc) == (
        "Runs `docker compose\n...` here; `a`.\n\nA lone `` mark.\n\nAnd `b`.\n"
    )


def test_literal_holding_a_backtick_keeps_it() -> None:
    assert to_markdown("``a`b``\n") == "`` a`b ``\n"


def test_summary_is_the_whole_first_paragraph() -> None:
    rule = next(r for r in ALL_RULES if r.code == "KG806")
    assert summary(rule).endswith("on a Stack that does not auto-update.")
    assert "\n" not in summary(rule)


def test_rule_without_docstring_still_has_a_section() -> None:
    first = STATIC_RULES[0]
    bare = RuleInfo(
        "KG999", "bare", first.severity, first.failure_class, "", first.checker
    )
    page = rules_page([bare])
    assert "| [KG999](#kg999-bare) | `bare` | error | bare |" in page
    assert page.endswith(
        "## KG999 bare\n\nDefault severity: **error** · class: `invalid-config`"
        " · runs in: `lint`, `audit`\n\n"
    )


def test_main_writes_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "rules.md"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == rules_page(ALL_RULES)
    assert main([]) == 0
    assert capsys.readouterr().out == rules_page(ALL_RULES)


def test_main_refuses_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "usage: python -m komodo_guard.docs [OUTPUT]\n"


def test_every_docstring_example_marker_is_rendered() -> None:
    page = rules_page(ALL_RULES)
    markers = sum(
        line.rstrip().endswith("::")
        for rule in ALL_RULES
        for line in inspect.cleandoc(rule.doc).splitlines()
    )
    assert page.count("\n```toml\n") + page.count("\n```yaml\n") == markers
