"""Word files in "Nhập từ văn bản": bombs refused before parsing, the text read as before."""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Callable

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.enum.text import WD_BREAK

from conftest import World
from core.uploads import MiB
from documents.models import Document
from documents.reading import UnreadableFile, text_from_docx

URL = reverse("documents:document_import")
DOCUMENT = "word/document.xml"
REFERENCE = "Căn cứ Nghị quyết số 63-NQ/TU, ngày 29/12/2021 của Ban Thường vụ Tỉnh ủy;"


def word(edit: Callable[[bytes], bytes] | None = None, level: int = 6) -> bytes:
    """A real .docx (python-docx), its document part changed by ``edit``."""
    document = docx.Document()
    document.add_paragraph(REFERENCE)
    buffer = io.BytesIO()
    document.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target,
    ):
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, edit(data) if edit and name == DOCUMENT else data)
    return out.getvalue()


def in_body(extra: bytes) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"<w:body>", b"<w:body>" + extra, 1)


def post(world: World, data: bytes) -> tuple[int, str, float]:
    started = time.monotonic()
    response = world.client("clerk").post(
        URL, {"step": "preview", "upload": SimpleUploadedFile("ke-hoach.docx", data)}
    )
    return response.status_code, response.content.decode(), time.monotonic() - started


def test_the_text_is_what_python_docx_reads() -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH\tsố 12/KH-UBND")
    paragraph = document.add_paragraph("Căn cứ ")
    paragraph.add_run("Nghị quyết").add_break()
    paragraph.add_run("số 63-NQ/TU").add_break(WD_BREAK.PAGE)
    table = document.add_table(rows=3, cols=3)
    for i in range(3):
        for j in range(3):
            table.cell(i, j).text = f"ô {i}{j}"
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 2).merge(table.cell(2, 2))
    table.cell(2, 0).add_paragraph("đoạn hai")
    document.add_paragraph("Nơi nhận")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()

    read = docx.Document(io.BytesIO(data))
    expected = [p.text for p in read.paragraphs]
    for rows in read.tables:
        for row in rows.rows:
            expected.extend(cell.text for cell in row.cells)
    assert text_from_docx(data) == "\n".join(expected)


def test_a_word_file_is_still_read_through_the_page(world: World) -> None:
    status, body, _seconds = post(world, word())
    assert status == 200 and 'data-ref="63-NQ/TU"' in body


def test_a_zip_bomb_is_refused_before_it_is_unpacked(world: World) -> None:
    # <w:p/> repeated: a file of about 150 KB that unpacks to 30 MiB.
    count = Document.objects.count()
    data = word(in_body(b"<w:p/>" * (30 * MiB // 6)), level=1)
    assert len(data) < 200_000
    status, body, seconds = post(world, data)
    assert status == 400 and "giải nén ra quá lớn" in body
    assert seconds < 1
    assert Document.objects.count() == count


def test_a_dense_document_within_the_bounds_is_read_in_seconds() -> None:
    # The worst the bounds let through: paragraphs as small as they come, compressing normally.
    count = 5 * MiB // 41  # 5 MiB of XML, 41 bytes a paragraph
    words = os.urandom(4 * count).hex()
    paragraphs = "".join(
        f"<w:p><w:r><w:t>{words[i : i + 8]}</w:t></w:r></w:p>" for i in range(0, 8 * count, 8)
    )
    data = word(in_body(paragraphs.encode()))
    started = time.monotonic()
    text = text_from_docx(data)
    assert time.monotonic() - started < 5
    assert text.count("\n") == count


@pytest.mark.parametrize(
    "extra",
    [
        b"<!--" + os.urandom(2 * MiB).hex().encode() + b"-->",
        b"<w:p><w:r><w:t>" + os.urandom(MiB).hex().encode() + b"</w:t></w:r></w:p>",
    ],
    ids=["comment", "one huge text"],
)
def test_comment_and_token_bombs_are_refused(world: World, extra: bytes) -> None:
    status, body, seconds = post(world, word(in_body(extra)))
    assert status == 400 and "cấu trúc bất thường" in body
    assert seconds < 1


def test_an_entity_bomb_is_refused() -> None:
    laughs = b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    data = word(lambda xml: xml.replace(b"?>", b"?>" + laughs, 1).replace(b"63-NQ", b"&b;"))
    with pytest.raises(UnreadableFile, match="cấu trúc bất thường"):
        text_from_docx(data)
