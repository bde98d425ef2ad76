"""The PDF conversion as a background job (django-tasks): the request's side and the job's.

A request asks `request_pdf`: it answers from the cache, or keeps the .docx under
`cache/pdf-src/<key>.docx` and enqueues one job per content key (a marker added to Django's cache,
which every app server shares: `cache.add` succeeds for one caller only, so simultaneous requests
for one paper, on one server or several, enqueue one job); the page then polls `state(key)`, on
whichever server, until the PDF, or the failure the job kept under `cache/pdf/<key>.failed`, is
there. The job takes only the key, so nothing but bytes in the storage passes between them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django_tasks import task

from core.scopes import unscoped
from papers import pdf

SOURCE_FOLDER = "cache/pdf-src"
# A queued marker older than this belongs to a job that was lost (worker killed, queue emptied):
# the next request enqueues again.
QUEUED_STALE_SECONDS = 15 * 60


@dataclass(frozen=True)
class PdfState:
    """Where a paper's PDF is: `data` when made, `error` when the job failed, else on its way."""

    key: str
    data: bytes | None = None
    error: str | None = None


def is_key(text: str) -> bool:
    """A content key as `pdf.content_key` makes it (64 lowercase hex digits): nothing else
    reaches a storage path."""
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def failure_name(key: str) -> str:
    return f"{pdf.CACHE_FOLDER}/{key}.failed"


def source_name(key: str) -> str:
    return f"{SOURCE_FOLDER}/{key}.docx"


def _queued_marker(key: str) -> str:
    return f"papers:pdf-queued:{key}"


def _claim(key: str) -> bool:
    """True for the one caller that may enqueue the job of `key` (`cache.add`: the first wins;
    the marker expires by itself after QUEUED_STALE_SECONDS)."""
    return bool(cache.add(_queued_marker(key), 1, QUEUED_STALE_SECONDS))


def _release(key: str) -> None:
    cache.delete(_queued_marker(key))


def _failure(key: str) -> str | None:
    found = pdf.cached(failure_name(key))
    return None if found is None else found.decode("utf-8", "replace")


def state(key: str) -> PdfState:
    """What the status page shows: the PDF, the job's failure, or neither yet."""
    if (found := pdf.cached(pdf.pdf_name(key))) is not None:
        return PdfState(key, data=found)
    if (error := _failure(key)) is not None:
        return PdfState(key, error=error)
    return PdfState(key)


def is_queued(key: str) -> bool:
    return cache.get(_queued_marker(key)) is not None


def request_pdf(content: bytes) -> PdfState:
    """The PDF of a .docx if it is made; otherwise make sure one job is on its way.

    Raises PdfUnavailable without LibreOffice (nothing is enqueued then). With a backend that
    runs jobs at once (tests, or TASKS without a worker) the returned state already has the PDF
    or the failure.
    """
    if not pdf.available():
        raise pdf.PdfUnavailable(
            _("Máy chủ chưa cài LibreOffice nên chưa tạo được tệp PDF; hãy tải bản .docx.")
        )
    key = pdf.content_key(content)
    if (found := pdf.cached(pdf.pdf_name(key))) is not None:
        return PdfState(key, data=found)
    if not _claim(key):
        return state(key)
    try:
        # Asking again after a failure is a new attempt.
        default_storage.delete(failure_name(key))
        default_storage.delete(source_name(key))
        default_storage.save(source_name(key), ContentFile(content))
        convert_pdf.enqueue(key)
    except BaseException:
        _release(key)
        raise
    return state(key)


def convert_stored(key: str) -> str:
    """The job's work: convert the .docx kept under `key` and keep the PDF (idempotent).

    A failure is kept for the status page (`cache/pdf/<key>.failed`) and raised, so the worker
    records it too. The kept .docx and the queued marker are removed in every case.
    """
    try:
        if default_storage.exists(pdf.pdf_name(key)):
            return "cached"
        source = pdf.cached(source_name(key))
        if source is None:
            return "missing"
        try:
            pdf.docx_to_pdf(source)
        except (pdf.PdfUnavailable, pdf.PdfError) as error:
            pdf.keep(failure_name(key), str(error).encode("utf-8"))
            raise
        return "converted"
    finally:
        default_storage.delete(source_name(key))
        _release(key)


@task()
@unscoped
def convert_pdf(key: str) -> str:
    """Make the PDF of the .docx a request kept under `key` (see request_pdf)."""
    return convert_stored(key)
