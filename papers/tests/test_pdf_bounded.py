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

from papers import pdf

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
