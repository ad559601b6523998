"""The rules reference page, written from the rules' own docstrings.

``python -m komodo_guard.docs docs/rules.md`` rewrites the page (no path:
standard output). Each rule module's docstring is its documentation; here it is
turned from reStructuredText habits into Markdown: ````code```` becomes
```code```, and a paragraph ending in ``::`` introduces an indented example
that becomes a fenced ``toml`` or ``yaml`` block. The tests regenerate the page
and fail when the checked-in copy is stale.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from komodo_guard.rules.interface import HostRuleInfo, LiveRuleInfo, RuleBase

COMMAND = "python -m komodo_guard.docs docs/rules.md"

# A ````literal```` may wrap onto the next line, never across a blank line.
_LITERAL = re.compile(r"``((?:[^\n]|\n(?![ \t]*\n))+?)``")
_YAML_KEY = re.compile(r"[\w.-]+:(\s|$)")


def rules_page(rules: Iterable[RuleBase]) -> str:
    """The whole reference page: an index, then one section per rule."""
    rules = tuple(rules)
    head = [
        "# Rules",
        "",
        f"<!-- Generated from the rules' docstrings by `{COMMAND}`; "
        "do not edit by hand. -->",
        "",
        "Every rule komodo-guard runs, with its default severity and failure "
        "class. Change a severity or disable a rule in `komodo-guard.toml` "
        "(`[rules]`); `komodo-guard explain CODE` prints the same text.",
        "",
        "| Code | Name | Severity | Summary |",
        "| --- | --- | --- | --- |",
    ]
    index = [
        f"| [{r.code}](#{_anchor(r)}) | `{r.name}` | {r.severity.label} | "
        f"{_table_cell(summary(r))} |"
        for r in rules
    ]
    sections = [rule_section(rule) for rule in rules]
    return "\n".join([*head, *index, ""]) + "\n" + "\n".join(sections)


def rule_section(rule: RuleBase) -> str:
    """One rule's heading, facts line and documentation."""
    facts = (
        f"Default severity: **{rule.severity.label}** · "
        f"class: `{rule.failure_class.value}` · runs in: {runs_in(rule)}"
    )
    body = to_markdown(inspect.cleandoc(rule.doc)) if rule.doc.strip() else ""
    return f"## {rule.code} {rule.name}\n\n{facts}\n\n{body}"


def to_markdown(text: str) -> str:
    """Markdown for a docstring: literals in backticks, ``::`` blocks fenced."""
    lines = text.splitlines()
    out: list[str] = []
    prose: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.rstrip().endswith("::"):
            prose.append(line)
            continue
        prose.append(_strip_marker(line))
        block, index = _literal_block(lines, index, _indent(line))
        out.extend([_inline("\n".join(prose)), "", *_fenced(block), ""])
        prose = []
    out.append(_inline("\n".join(prose)))
    joined = "\n".join(out).splitlines()
    return "\n".join(_collapse_blanks(joined)).strip("\n") + "\n"


def runs_in(rule: RuleBase) -> str:
    """The commands that run ``rule``: what facts it needs decides."""
    if isinstance(rule, LiveRuleInfo):
        return "`drift`, `audit --komodo`, `watch` (needs a Komodo Core)"
    if isinstance(rule, HostRuleInfo):
        return "`host`, `watch` on a Docker host"
    return "`lint`, `audit`"


def summary(rule: RuleBase) -> str:
    """The first paragraph of the rule's documentation, on one line."""
    paragraph = inspect.cleandoc(rule.doc).split("\n\n", 1)[0]
    return " ".join(paragraph.split()) or rule.name


def _strip_marker(line: str) -> str:
    """``Failing::`` -> ``Failing:``; a lone or spaced ``::`` disappears."""
    text = line.rstrip()[:-2]
    return text.rstrip() if not text or text[-1].isspace() else text + ":"


def _literal_block(
    lines: Sequence[str], start: int, base: int
) -> tuple[list[str], int]:
    """The indented lines after a ``::`` paragraph, and where the text resumes."""
    end = start
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > base):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    block = list(lines[start:end])
    return block, end


def _fenced(block: list[str]) -> list[str]:
    content = [line for line in block if line.strip()]
    if not content:
        return []
    width = min(_indent(line) for line in content)
    body = [line[width:] if line.strip() else "" for line in block]
    while body and not body[0]:
        body.pop(0)
    return [f"```{_language(body)}", *body, "```"]


def _language(block: Iterable[str]) -> str:
    """``yaml`` when the first line that is not a comment is a ``key:`` line."""
    for line in block:
        text = line.strip()
        if text and not text.startswith("#"):
            return "yaml" if _YAML_KEY.match(text) else "toml"
    return "toml"


def _inline(line: str) -> str:
    return _LITERAL.sub(_code_span, line)


def _table_cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")


def _code_span(match: re.Match[str]) -> str:
    code = match.group(1)
    return f"`` {code} ``" if "`" in code else f"`{code}`"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _collapse_blanks(lines: list[str]) -> list[str]:
    result: list[str] = []
    for line in lines:
        if line.strip() or (result and result[-1].strip()):
            result.append(line.rstrip())
    return result


def _anchor(rule: RuleBase) -> str:
    """The anchor GitHub gives the heading ``## CODE name``."""
    return f"{rule.code} {rule.name}".lower().replace(" ", "-")


def main(argv: Sequence[str] | None = None) -> int:
    """Write the page to the path given, or to standard output."""
    from komodo_guard.rules.registry import ALL_RULES

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(arg.startswith("-") for arg in args):
        print(f"usage: {COMMAND.replace('docs/rules.md', '[OUTPUT]')}", file=sys.stderr)
        return 2
    page = rules_page(ALL_RULES)
    if args:
        Path(args[0]).write_text(page, encoding="utf-8")
    else:
        sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
