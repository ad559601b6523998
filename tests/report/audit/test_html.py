"""The HTML audit: self-contained, escaped, its flowcharts drawn without script."""

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


def test_the_flowchart_is_drawn_in_html_with_its_source_folded() -> None:
    text, checker = _page(SYNTAX, UNSYNCED)
    assert 'class="mermaid"' not in text
    drawn = text.split('<ol class="flow">', 1)[1].split("</ol>", 1)[0]
    rows = drawn.split("<li>")[1:]
    assert len(rows) == 2
    assert rows[0].startswith(
        '<div class="box head P0">Invalid configuration (invalid-config): '
        "1 finding, P0</div>"
    )
    assert "<strong>Cause:</strong> resource files that Komodo rejects" in rows[0]
    assert "<strong>Fix:</strong> lint every push in CI" in rows[0]
    assert rows[0].count('<span class="to" aria-hidden="true">&rarr;</span>') == 2
    assert '<div class="box head P1">Declared but not applied' in rows[1]
    folded = text.split("<details><summary>", 1)[1].split("</details>", 1)[0]
    assert "GitHub draws it" in folded
    assert "<pre>flowchart LR\n" in folded
    assert "group_invalid_config[&quot;Invalid configuration" in folded
    assert checker.errors == []


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


def test_fix_first_names_resources_without_a_file() -> None:
    backup = finding(
        "KG1010",
        name="execution-failed",
        message="deployment 'mongo-backup': its latest Deploy failed",
        resource=ResourceRef("deployment", "mongo-backup"),
    )
    mealie = finding(
        "KG1010",
        name="execution-failed",
        resource=ResourceRef("stack", "mealie"),
        location=Location("komodo/apps.toml", 114, 1),
    )
    text, _ = _page(backup, mealie)
    assert (
        "2 findings in <code>komodo/apps.toml</code> and for deployment "
        "&#x27;mongo-backup&#x27; — " in text
    )
