"""Reading generated .docx files in tests."""

from __future__ import annotations

import io

import docx


def open_docx(content: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(content))


def text_of(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def fonts_of(document: docx.document.Document) -> set[str | None]:
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    runs += [
        run
        for t in document.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for run in p.runs
        if run.text.strip()
    ]
    return {run.font.name for run in runs}


def assert_decree_30_page(document: docx.document.Document) -> None:
    """A4 portrait, margins within NĐ 30/2020 ranges, Times New Roman throughout."""
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    assert fonts_of(document) == {"Times New Roman"}
