"""The written audit: a lint result turned into a prioritised report.

:mod:`model` derives groups, priorities and gaps; :mod:`markdown` and :mod:`html`
lay them out. Priorities are decided in :mod:`priority` only.
"""

from __future__ import annotations

import enum
from pathlib import PurePath
from typing import TYPE_CHECKING

from komodo_guard.report.audit import html, markdown
from komodo_guard.report.audit.model import build
from komodo_guard.report.interface import LintResult

if TYPE_CHECKING:
    from komodo_guard.history.model import History


class AuditFormat(enum.StrEnum):
    """Every output format of ``audit``; each maps to one renderer module."""

    MARKDOWN = "markdown"
    HTML = "html"

    @classmethod
    def for_output(cls, output: PurePath | None) -> AuditFormat:
        """HTML for an ``.html``/``.htm`` output file, Markdown otherwise."""
        if output is not None and output.suffix.lower() in (".html", ".htm"):
            return cls.HTML
        return cls.MARKDOWN


def render(
    result: LintResult,
    fmt: AuditFormat,
    *,
    name: str = "",
    history: History | None = None,
    timeline_file: str = "",
) -> str:
    """The audit of ``result``, titled ``name``, in ``fmt``; every AuditFormat
    member has a branch. ``history`` adds the recurring incidents of Core's
    update log; Markdown links ``timeline_file`` (the SVG the caller writes
    beside the report) instead of inlining the picture, HTML always inlines it."""
    audit = build(result, name, history)
    match fmt:
        case AuditFormat.MARKDOWN:
            return markdown.render(audit, timeline_file=timeline_file)
        case AuditFormat.HTML:
            return html.render(audit)
