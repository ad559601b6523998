"""Inline suppressions and the rule that demands a reason (KG005)."""

from komodo_guard.komodo.model import load
from komodo_guard.rules.engine import run_rules
from komodo_guard.rules.files.suppression_reason import RULE as REASON
from komodo_guard.rules.files.syntax_error import RULE as SYNTAX
from komodo_guard.rules.interface import RuleOptions
from komodo_guard.rules.registry import ALL_RULES
from komodo_guard.rules.suppress import apply_suppressions
from komodo_guard.workspace.collect import collect
from tests.conftest import TreeFactory
from tests.rules.lintkit import hits

TYPO = (
    '[[stack]]\nname = "a"\n[stack.config]\n'
    "auto_updte = true  # komodo-guard: ignore[KG102] read by our inventory script\n"
    "# komodo-guard: ignore[unknown-key] kept for the migration, remove in March\n"
    "polll = 1\n"
    "other_typo = 2\n"
)


def _lint(root: object) -> list[tuple[str, int, str]]:
    workspace = collect(root, load())  # type: ignore[arg-type]
    findings = apply_suppressions(
        run_rules(workspace, ALL_RULES, RuleOptions()), workspace
    )
    return [
        (f.code, f.location.line if f.location else 0, f.suppressed) for f in findings
    ]


def test_same_line_and_line_above_are_suppressed_with_their_reason(
    make_tree: TreeFactory,
) -> None:
    marked = _lint(make_tree({"s.toml": TYPO}))
    assert ("KG102", 4, "read by our inventory script") in marked
    assert ("KG102", 6, "kept for the migration, remove in March") in marked
    assert ("KG102", 7, "") in marked


def test_a_suppression_names_the_rule_it_silences(make_tree: TreeFactory) -> None:
    text = (
        '[[stack]]\nname = "a"\npolll = 1  # komodo-guard: ignore[KG401] wrong code\n'
    )
    assert ("KG102", 3, "") in _lint(make_tree({"s.toml": text}))


def test_failing_without_reason(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "a"\npolll = 1  # komodo-guard: ignore[KG102]\n'
    root = make_tree({"s.toml": text})
    assert hits(root, REASON) == [("s.toml", 3, 1, "KG005")]
    assert ("KG102", 3, "") in _lint(root)


def test_passing_with_reason(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"s.toml": TYPO}), REASON) == []


def test_disabled(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "a"  # komodo-guard: ignore[KG102]\n'
    assert hits(make_tree({"s.toml": text}), REASON, disabled=["KG005"]) == []


def test_syntax_errors_can_be_suppressed_too(make_tree: TreeFactory) -> None:
    text = 'x = "\\d"  # komodo-guard: ignore[syntax-error] Komodo 1.16 reads it\n'
    root = make_tree({"s.toml": "[[stack]]\nname = 'a'\n" + text})
    assert hits(root, SYNTAX) == [("s.toml", 3, 7, "KG001")]
    assert ("KG001", 3, "Komodo 1.16 reads it") in _lint(root)
