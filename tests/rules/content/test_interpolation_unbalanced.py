"""KG301 interpolation-unbalanced: `[[` without `]]`, and stray `]]`."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.content.interpolation_unbalanced import RULE
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

_ENV = '''[[stack]]
name = "app"
[stack.config]
environment = """
TZ=[[TZ]]
DB_HOST=[[DB_HOST]
PORT=80
"""
'''


def test_unclosed_variable_points_at_its_line_in_a_multiline_string(
    make_tree: TreeFactory,
) -> None:
    root = make_tree({"stacks.toml": _ENV})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("stacks.toml", 6, 9, "KG301")]
    assert found[0].severity is Severity.ERROR
    assert "`environment` of stack 'app'" in found[0].message
    assert "deploy fails" in found[0].message


def test_balanced_variables_pass(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": _ENV.replace("[[DB_HOST]\n", "[[DB_HOST]]\n")})
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": _ENV})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_skip_secret_interp_means_no_interpolation_and_no_error(
    make_tree: TreeFactory,
) -> None:
    text = _ENV.replace(
        "[stack.config]\n", "[stack.config]\nskip_secret_interp = true\n"
    )
    assert hits(make_tree({"stacks.toml": text}), RULE) == []


def test_single_line_string_and_quadruple_opener(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "d.toml": '[[deployment]]\nname = "d"\n[deployment.config]\n'
            'command = "run [[[[X]]"\n'
        }
    )
    assert hits(root, RULE) == [("d.toml", 4, 16, "KG301")]


def test_escape_with_three_openers_is_fine(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "d.toml": '[[deployment]]\nname = "d"\n[deployment.config]\n'
            'command = "echo [[[not a variable]]]"\n'
        }
    )
    assert hits(root, RULE) == []


def test_array_element_of_extra_args(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "s.toml": '[[stack]]\nname = "s"\n[stack.config]\n'
            'extra_args = ["--ok", "--env=[[BAD"]\n'
        }
    )
    assert hits(root, RULE) == [("s.toml", 4, 30, "KG301")]


def test_alerter_url_is_interpolated(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "a.toml": '[[alerter]]\nname = "a"\n[alerter.config]\nenabled = true\n'
            'endpoint.type = "Slack"\n'
            'endpoint.params.url = "https://hooks.slack.com/[[SLACK"\n'
        }
    )
    assert [h[1] for h in hits(root, RULE)] == [6]


def test_stray_closer_after_a_name_is_a_warning(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": _ENV.replace("[[DB_HOST]\n", "[DB_HOST]]\n")})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("stacks.toml", 6, 10, "KG301")]
    assert found[0].severity is Severity.WARNING
    assert "`DB_HOST]]`" in found[0].message
    assert "[[DB_HOST]]" in found[0].hint


def test_shell_tests_and_compose_brackets_are_not_stray(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "s.toml": '[[stack]]\nname = "s"\n[stack.config]\n'
            'pre_deploy.command = "[[ -f .env ]] && echo ok"\n'
            'file_contents = "command: [a, [b]]"\n'
        }
    )
    assert hits(root, RULE) == []


def test_fields_komodo_does_not_interpolate_are_ignored(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"s.toml": '[[stack]]\nname = "s"\n[stack.config]\nrun_directory = "[[DIR"\n'}
    )
    assert hits(root, RULE) == []


def test_corpus_has_no_unbalanced_interpolation(shared: Path) -> None:
    for repo in ("repo11", "repo14", "repo15", "repo23", "repo36"):
        assert hits(shared / "corpus" / "real" / repo, RULE) == [], repo
