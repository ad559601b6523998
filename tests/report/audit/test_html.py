"""The HTML audit: self-contained, escaped, the Mermaid source shown as text."""

from __future__ import annotations

from html.parser import HTMLParser

from komodo_guard.report.audit import AuditFormat, render
from komodo_guard.rules.interface import Finding, Location, ResourceRef
from tests.report.samples import EMPTY, SYNTAX, UNSYNCED, finding, result

VOID = {"meta", "br"}


class _Checker(HTMLParser):
    """Records tags, attributes and whether every element was closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def _page(*findings: Finding, name: str = "homelab") -> tuple[str, _Checker]:
    text = render(result(*findings), AuditFormat.HTML, name=name)
    checker = _Checker()
    checker.feed(text)
    return text, checker


def test_page_is_balanced_and_loads_nothing() -> None:
    text, checker = _page(SYNTAX, EMPTY, UNSYNCED)
    assert checker.errors == []
    assert checker.stack == []
    assert "script" not in checker.tags
    assert not [a for a in checker.attributes if a[0] in ("src", "href")]
    assert "default-src 'none'" in text
    assert text.startswith("<!DOCTYPE html>\n")


def test_hostile_text_is_escaped_everywhere() -> None:
    hostile = finding(
        location=Location('<img src=x onerror="y">.toml', 1, 1),
        message="value <script>alert(1)</script> in `<b>`",
        hint="</li><script>",
        resource=ResourceRef("stack", "<svg>"),
    )
    text, checker = _page(hostile, name="<script>x</script>")
    assert "<script>" not in text
    assert "<img" not in text
    assert "<svg>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<code>&lt;b&gt;</code>" in text
    assert checker.errors == []
    assert "script" not in checker.tags


def test_mermaid_source_is_shown_in_a_pre_block() -> None:
    text, _ = _page(SYNTAX)
    assert '<pre class="mermaid">flowchart LR\n' in text
    assert "renders as a diagram on GitHub" in text
    assert "group_invalid_config[&quot;Invalid configuration" in text


def test_sections_and_priorities() -> None:
    text, _ = _page(SYNTAX, UNSYNCED)
    for heading in (
        "Scope",
        "Executive summary",
        "Findings by failure class",
        "From failure class to fix",
        "What remains",
    ):
        assert f"<h2>{heading}</h2>" in text
    assert '<span class="p P0">P0</span>' in text
    gap = "not checked: this audit reads the tree only, not Komodo Core&#x27;s API"
    assert gap in text
