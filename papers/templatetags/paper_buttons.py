"""`{% paper_buttons "conference_minutes" conference.pk "Biên bản" %}`: the .docx download, and
"Tải PDF" beside it only where LibreOffice is installed."""

from __future__ import annotations

from typing import Any

from django import template

from papers import pdf

register = template.Library()


@register.inclusion_tag("papers/_buttons.html")
def paper_buttons(kind: str, pk: int, label: str) -> dict[str, Any]:
    return {"kind": kind, "pk": pk, "label": label, "pdf": pdf.available()}


@register.simple_tag
def pdf_available() -> bool:
    return pdf.available()
