"""Render a registered paper to bytes: .docx (the school's own template for the kind when it has
one, else the built-in layout) or PDF (the same .docx converted by LibreOffice)."""

from __future__ import annotations

import logging
from typing import Any

from papers import docx_templates, pdf
from papers.layout import render_docx
from papers.registry import PaperKind

logger = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
FORMATS = ("docx", "pdf")


def render_word(kind: PaperKind, obj: Any) -> bytes:
    template = docx_templates.active_template(kind.school_of(obj), kind.code)
    if template is not None:
        try:
            return docx_templates.fill(template.read(), kind.context(obj))
        except Exception:  # the template passed its check on other data; never fail the download
            logger.exception("School template for %s could not be filled; built-in used", kind.code)
    return render_docx(kind.build(obj))


def render(kind: PaperKind, obj: Any, fmt: str = "docx") -> tuple[bytes, str, str]:
    """(content, file name, content type) of the paper `kind` writes about `obj`.

    PDF raises papers.pdf.PdfUnavailable without LibreOffice and papers.pdf.PdfError when the
    conversion fails.
    """
    if fmt not in FORMATS:
        raise ValueError(fmt)
    content = render_word(kind, obj)
    if fmt == "pdf":
        return pdf.docx_to_pdf(content), f"{kind.filename(obj)}.pdf", PDF
    return content, f"{kind.filename(obj)}.docx", DOCX
