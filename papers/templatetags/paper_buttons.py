"""`{% paper_buttons "conference_minutes" conference.pk "Biên bản" %}`: the .docx download, and
"Tải PDF" beside it only where LibreOffice is installed."""

from __future__ import annotations

from typing import Any

from django import template

from papers import pdf
from papers.models import IssuedPaper

register = template.Library()


@register.simple_tag
def issued_amendments(kind: str, pk: int) -> list[Any]:
    """Amendments of the object's numbered paper, each as it was issued (the main button keeps
    serving the original)."""
    return list(
        IssuedPaper.objects.filter(kind=kind, object_id=pk)
        .exclude(amends=None)
        .exclude(file="")
        .select_related("document")
        .order_by("pk")
    )


@register.inclusion_tag("papers/_buttons.html")
def paper_buttons(kind: str, pk: int, label: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "pk": pk,
        "label": label,
        "pdf": pdf.available(),
        "amendments": issued_amendments(kind, pk),
    }


@register.simple_tag
def pdf_available() -> bool:
    return pdf.available()
