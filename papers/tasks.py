"""Background jobs of the papers module (django-tasks); they take a content key, not objects."""

from __future__ import annotations

from django_tasks import task

from core.scopes import unscoped
from papers import pdf


@task()
@unscoped
def convert_pdf(key: str) -> str:
    """Make the PDF of the .docx a request kept under `key` (see papers.pdf.request_pdf)."""
    return pdf.convert_stored(key)
