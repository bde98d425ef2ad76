"""Render a registered paper to bytes: .docx now; the school's own template and PDF plug in here."""

from __future__ import annotations

from typing import Any

from papers.layout import render_docx
from papers.registry import PaperKind

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def render(kind: PaperKind, obj: Any, fmt: str = "docx") -> tuple[bytes, str, str]:
    """(content, file name, content type) of the paper `kind` writes about `obj`."""
    if fmt != "docx":
        raise ValueError(fmt)
    return render_docx(kind.build(obj)), f"{kind.filename(obj)}.docx", DOCX
