"""PDF conversions are bounded: one LibreOffice at a time (across processes) and each paper's
content converted once, its PDF kept in the default storage."""

from __future__ import annotations

import io
import itertools
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.urls import reverse

from conftest import World
from papers import pdf, tasks

FAKE_OFFICE = """#!PYTHON
# Stands in for soffice: logs its start and end, takes a moment, writes a PDF of its input.
import pathlib, sys, time
log = pathlib.Path(LOG)
with log.open("a") as out:
    out.write("start %r\\n" % time.monotonic())
args = sys.argv[1:]
outdir = pathlib.Path(args[args.index("--outdir") + 1])
source = pathlib.Path(args[-1])
time.sleep(0.4)
outdir.mkdir(parents=True, exist_ok=True)
(outdir / (source.stem + ".pdf")).write_bytes(b"%PDF-1.4 " + source.read_bytes()[-40:])
with log.open("a") as out:
    out.write("end %r\\n" % time.monotonic())
"""


@pytest.fixture
def office(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    log = tmp_path / "office.log"
    script = tmp_path / "soffice"
    script.write_text(
        FAKE_OFFICE.replace("PYTHON", sys.executable, 1).replace("LOG", repr(str(log)))
    )
    script.chmod(0o755)
    monkeypatch.setattr(pdf, "office_binary", lambda: str(script))
    return log


def docx(text: str, when: tuple[int, ...] = (2024, 1, 1, 0, 0, 0)) -> bytes:
    """A .docx-like zip; `when` is the members' time, which differs each time a paper is made."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in [("[Content_Types].xml", "<Types/>"), ("word/document.xml", text)]:
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)  # type: ignore[arg-type]
    return buffer.getvalue()


def runs(log: Path) -> list[tuple[float, float]]:
    starts, ends = [], []
    for line in log.read_text().splitlines():
        kind, at = line.split()
        (starts if kind == "start" else ends).append(float(at))
    return list(zip(sorted(starts), sorted(ends), strict=True))


def in_threads(contents: list[bytes]) -> list[Any]:
    results: list[Any] = [None] * len(contents)
    start = threading.Barrier(len(contents))

    def convert(index: int) -> None:
        start.wait()
        try:
            results[index] = pdf.docx_to_pdf(contents[index])
        except Exception as error:  # the assertion below shows it
            results[index] = error

    threads = [threading.Thread(target=convert, args=(i,)) for i in range(len(contents))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_four_requests_for_one_paper_start_one_conversion(office: Path) -> None:
    content = docx("<w:document>Kế hoạch</w:document>")
    results = in_threads([content] * 4)
    assert all(isinstance(r, bytes) and r.startswith(b"%PDF") for r in results), results
    assert len(set(results)) == 1
    assert len(runs(office)) == 1


def test_the_same_paper_made_again_later_is_not_converted_again(office: Path) -> None:
    first = pdf.docx_to_pdf(docx("<w:document>Biên bản</w:document>", (2024, 1, 1, 8, 0, 0)))
    # Made again a minute later: other bytes (the zip's times), the same content.
    again = pdf.docx_to_pdf(docx("<w:document>Biên bản</w:document>", (2024, 1, 1, 8, 1, 0)))
    assert again == first
    assert len(runs(office)) == 1
    changed = pdf.docx_to_pdf(docx("<w:document>Biên bản sửa</w:document>"))
    assert changed != first
    assert len(runs(office)) == 2


def test_different_papers_are_converted_one_at_a_time(office: Path) -> None:
    results = in_threads([docx(f"<w:document>Giấy tờ {i}</w:document>") for i in range(3)])
    assert all(isinstance(r, bytes) for r in results), results
    spans = runs(office)
    assert len(spans) == 3
    for (_, end), (next_start, _) in itertools.pairwise(spans):
        assert next_start >= end, spans


def test_a_request_that_waits_too_long_for_a_slot_gets_a_clear_message(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "SLOT_WAIT_SECONDS", 0.1)
    results = in_threads([docx(f"<w:document>Tờ {i}</w:document>") for i in range(2)])
    refused = [r for r in results if isinstance(r, pdf.PdfError)]
    assert len(refused) == 1
    assert "đang tạo" in str(refused[0])
    assert len(runs(office)) == 1


# The PDF is made by a django-tasks job in the worker, not in the web request.


@pytest.fixture
def queued(settings: Any) -> Any:
    """A backend that only records what is enqueued, so nothing runs in the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    return default_task_backend


def pdf_url(world: World) -> str:
    return reverse("papers:download", args=["plan", world.plan.pk, "pdf"])


def test_four_requests_enqueue_one_job_and_the_job_makes_the_pdf(
    world: World, office: Path, queued: Any
) -> None:
    client = world.client("staff")
    answers = [client.get(pdf_url(world)) for _ in range(4)]
    assert [a.status_code for a in answers] == [202] * 4
    html = answers[0].content.decode()
    assert "Đang tạo bản PDF" in html
    assert 'hx-trigger="every 2s"' in html
    assert all("src=" in tag.split(">", 1)[0] for tag in html.split("<script")[1:])  # CSP
    assert [r.task.name for r in queued.results] == ["convert_pdf"]
    assert not office.exists()  # no LibreOffice ran in the requests
    (key,) = queued.results[0].args
    assert tasks.convert_pdf.call(key) == "converted"
    assert tasks.convert_pdf.call(key) == "cached"  # idempotent
    assert len(runs(office)) == 1

    served = client.get(pdf_url(world))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served.content.startswith(b"%PDF")
    assert len(queued.results) == 1


def test_the_status_url_polls_then_links_the_pdf(world: World, office: Path, queued: Any) -> None:
    client = world.client("staff")
    html = client.get(pdf_url(world)).content.decode()
    (key,) = queued.results[0].args
    status = reverse("papers:pdf_status", args=["plan", world.plan.pk, key])
    assert f'hx-get="{status}"' in html
    waiting = client.get(status, headers={"HX-Request": "true"})
    assert waiting.status_code == 200
    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    tasks.convert_pdf.call(key)
    ready = client.get(status, headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in ready
    assert f'href="{pdf_url(world)}"' in ready


def test_a_failed_job_is_reported_on_the_status_url(
    world: World, office: Path, queued: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = world.client("staff")
    client.get(pdf_url(world))
    (key,) = queued.results[0].args

    def broken(binary: str, content: bytes, timeout: float) -> bytes:
        raise pdf.PdfError("LibreOffice không chuyển được văn bản sang PDF (mã 1).")

    monkeypatch.setattr(pdf, "_convert", broken)
    with pytest.raises(pdf.PdfError):
        tasks.convert_pdf.call(key)
    status = reverse("papers:pdf_status", args=["plan", world.plan.pk, key])
    html = client.get(status).content.decode()
    assert "không chuyển được" in html
    assert "every 2s" not in html
    assert reverse("papers:download", args=["plan", world.plan.pk, "docx"]) in html


def test_the_status_url_checks_the_papers_permission(
    world: World, office: Path, queued: Any
) -> None:
    world.client("staff").get(pdf_url(world))
    (key,) = queued.results[0].args
    status = reverse("papers:pdf_status", args=["plan", world.plan.pk, key])
    assert world.client("outsider").get(status).status_code == 404
    assert world.client("staff").get(status).status_code == 200


def test_with_the_immediate_backend_the_first_request_serves_the_pdf(
    world: World, office: Path
) -> None:
    served = world.client("staff").get(pdf_url(world))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served.content.startswith(b"%PDF")
    assert len(runs(office)) == 1


def test_enqueueing_from_four_threads_gives_one_job(
    office: Path, queued: Any, transactional_db: None
) -> None:
    """The claim is a `cache.add` in the shared database cache (several app servers ask too):
    each thread has its own database connection, and one wins."""
    from django_tasks.signals import task_enqueued

    content = docx("<w:document>Nghị quyết</w:document>")
    enqueued: list[str] = []

    def count(sender: Any, task_result: Any, **kwargs: Any) -> None:
        enqueued.append(task_result.task.name)

    # Each thread has its own backend instance; the signal is seen from every thread.
    task_enqueued.connect(count, weak=False)
    start = threading.Barrier(4)
    states: list[Any] = [None] * 4

    def ask(index: int) -> None:
        start.wait()
        try:
            states[index] = tasks.request_pdf(content)
        finally:
            connections.close_all()  # this thread's own connection

    try:
        threads = [threading.Thread(target=ask, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        task_enqueued.disconnect(count)
    assert all(state is not None and state.data is None for state in states)
    assert enqueued == ["convert_pdf"]


def test_an_issued_paper_is_converted_from_its_stored_bytes_in_the_worker(
    world: World, meeting: Any, office: Path, queued: Any
) -> None:
    from conferences import services as conference_services
    from papers.models import IssuedPaper

    conference_services.set_status(meeting, "closed", by=world.users["clerk"])
    number = reverse("conferences:paper_number", args=[meeting.pk, "minutes"])
    assert world.client("clerk").post(number).status_code == 302
    issued = IssuedPaper.objects.get(kind="conference_minutes")
    stored = issued.read()
    url = reverse("papers:issued_file", args=[issued.pk, "pdf"])
    client = world.client("staff")
    assert [client.get(url).status_code for _ in range(2)] == [202, 202]
    assert len(queued.results) == 1
    (key,) = queued.results[0].args
    status = reverse("papers:issued_pdf_status", args=[issued.pk, key])
    assert world.client("outsider").get(status).status_code == 404
    assert "every 2s" in client.get(status).content.decode()
    tasks.convert_pdf.call(key)
    assert f'href="{url}"' in client.get(status).content.decode()
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served.content == b"%PDF-1.4 " + stored[-40:]  # the stand-in copies its input's tail


# The worker commits and closes connections as a real one does: not inside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_database_backends_worker_makes_the_pdf(
    world: World, office: Path, settings: Any
) -> None:
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = world.client("staff")
    assert [client.get(pdf_url(world)).status_code for _ in range(3)] == [202] * 3
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", batch=True, verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    served = client.get(pdf_url(world))
    assert served.status_code == 200
    assert served.content.startswith(b"%PDF")
    assert len(runs(office)) == 1
