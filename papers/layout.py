"""Official Vietnamese document layout (NĐ 30/2020/NĐ-CP, Phụ lục I; HD 36-HD/VPTW for the Party).

A `Paper` describes a document (who issues it, its number, place and date, type and summary,
body blocks, signature and recipients); `render_docx` lays it out with python-docx: A4, Times
New Roman, margins 20/20/30/15 mm, the issuing body and its parent at top left, the national
motto at top right (or "ĐẢNG CỘNG SẢN VIỆT NAM"), the number and the date line, the title, the
body, the signing block and "Nơi nhận".
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.text import paper_date

FONT = "Times New Roman"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
# The numerals of a paper's sections ("I. THÀNH PHẦN THAM DỰ").
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@dataclass
class Heading:
    text: str
    center: bool = False


@dataclass
class Para:
    text: str
    italic: bool = False
    bold: bool = False
    indent: bool = True
    lead: str = ""  # a bold opening ("Điều 1. ") before the text


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths_mm: list[float] = field(default_factory=list)
    # Columns (by index) centred, e.g. counts and dates; the others stay left-aligned.
    centred: Sequence[int] = ()
    # The last row in bold (a "Cộng" total row).
    bold_last: bool = False
    # Repeat the header row on every page and keep each row on one page.
    keep_rows: bool = False


Block = Heading | Para | Table


@dataclass
class Signature:
    """One signing column: "TM. ĐOÀN CHỦ TỊCH" / "CHỦ TỌA" / the name."""

    mark: str = ""
    title: str = ""
    name: str = ""


@dataclass
class Paper:
    parent_body: str  # "UBND TỈNH LẠNG SƠN"
    issuing_body: str  # "TRƯỜNG CAO ĐẲNG SƯ PHẠM LẠNG SƠN"
    number_line: str  # "Số: 125/KH-CĐSPLS" (or "Số:      /KH-CĐSPLS" before issuing)
    place: str
    date: dt.date | None
    type_name: str  # "KẾ HOẠCH"
    summary: str  # "Thực hiện nhiệm vụ trọng tâm năm học 2023–2024"
    blocks: Sequence[Block]
    signing_mark: str = ""  # "KT. HIỆU TRƯỞNG"
    signer_title: str = ""  # "PHÓ HIỆU TRƯỞNG"
    signer_name: str = ""
    recipients: Sequence[str] = ()
    party: bool = False
    landscape: bool = False
    # Several signatures side by side (a biên bản: secretary and chair); replaces the single signer.
    signatures: Sequence[Signature] = ()
    # Starter templates: texts kept as written (no upper-casing), the date line as given.
    verbatim: bool = False
    date_line: str = ""
    # Lists attached to the paper ("DANH SÁCH … kèm theo Quyết định số …"), on a new page after
    # the signature and "Nơi nhận".
    annex: Sequence[Block] = ()


def recipients(to: Sequence[str] = (), *, report_to: str = "", kept: str) -> list[str]:
    """The lines of "Nơi nhận" as every paper writes them: the body reported to first ("Sở GD&ĐT
    (để báo cáo);"), then each recipient, each line ending in ";", and last where the copy is kept
    ("Lưu: VT, CĐM.")."""
    lines = [f"{report_to} (để báo cáo);"] if report_to else []
    lines.extend(f"{recipient};" for recipient in to)
    lines.append(f"Lưu: {kept}.")
    return lines


def _font(
    run: object, size: float, *, bold: bool = False, italic: bool = False, underline: bool = False
) -> None:
    run.font.name = FONT  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    run.font.italic = italic  # type: ignore[attr-defined]
    run.font.underline = underline  # type: ignore[attr-defined]
    # East-Asian font slot too, so Word does not substitute another face for Vietnamese text.
    r_pr = run._element.get_or_add_rPr()  # type: ignore[attr-defined]
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.append(r_fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        r_fonts.set(qn(attribute), FONT)


def _line(container: object, text: str, size: float, *, bold: bool = False, italic: bool = False,
          underline: bool = False, align: int = WD_ALIGN_PARAGRAPH.CENTER, space_after: float = 0) -> object:  # fmt: skip
    paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    _font(paragraph.add_run(text), size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _no_borders(table: object) -> None:
    tbl_pr = table._element.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _fixed_widths(table: object, widths_mm: Sequence[float]) -> None:
    """Column widths that Word and LibreOffice both keep (no autofit)."""
    table.autofit = False  # type: ignore[attr-defined]
    grid = table._element.tblGrid  # type: ignore[attr-defined]
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _short_rule(cell: object) -> None:
    """The short line under the issuing body's name and under the title."""
    _line(cell, "________", 13, bold=False, space_after=2)


def render_docx(paper: Paper) -> bytes:
    document = Document()
    section = document.sections[0]
    if paper.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = (
        (Mm(297), Mm(210)) if paper.landscape else (Mm(210), Mm(297))
    )
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)

    header = document.add_table(rows=1, cols=2)
    _no_borders(header)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(header, [62, 103])
    left, right = header.rows[0].cells
    left._element.remove(left.paragraphs[0]._element)
    right._element.remove(right.paragraphs[0]._element)
    upper = (lambda text: text) if paper.verbatim else str.upper
    if paper.parent_body:
        _line(left, upper(paper.parent_body), 13)
    _line(left, upper(paper.issuing_body), 13, bold=True)
    if paper.party:
        _line(left, "*", 13)
    else:
        _short_rule(left)
    _line(left, paper.number_line, 13, space_after=0)
    if paper.party:
        _line(right, PARTY_TITLE, 15, bold=True, underline=True, space_after=6)
    else:
        _line(right, NATIONAL_TITLE, 13, bold=True)
        _line(right, NATIONAL_MOTTO, 14, bold=True, underline=True, space_after=6)
    if paper.date_line:
        _line(right, paper.date_line, 14, italic=True)
    elif paper.date is not None:
        _line(right, paper_date(paper.date, paper.place), 14, italic=True)
    else:
        _line(right, f"{paper.place}, ngày      tháng      năm", 14, italic=True)

    _line(document, "", 14)
    _line(document, upper(paper.type_name), 14, bold=True)
    _line(document, paper.summary, 14, bold=True)
    _line(document, "________", 14, space_after=6)

    _blocks(document, paper.blocks)

    if paper.signatures:
        _signatures(document, paper.signatures, verbatim=paper.verbatim)
        if paper.recipients:
            _line(document, "", 6)
            _recipients(document, paper.recipients)
    else:
        _signing_block(document, paper)

    if paper.annex:
        document.add_page_break()
        _blocks(document, paper.annex)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _blocks(document: object, blocks: Sequence[Block]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            align = WD_ALIGN_PARAGRAPH.CENTER if block.center else WD_ALIGN_PARAGRAPH.LEFT
            _line(document, block.text, 14, bold=True, align=align, space_after=4)
        elif isinstance(block, Para):
            paragraph = _line(
                document,
                block.text,
                14,
                bold=block.bold,
                italic=block.italic,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                space_after=4,
            )
            if block.lead:
                lead = paragraph.add_run(block.lead)  # type: ignore[attr-defined]
                _font(lead, 14, bold=True, italic=block.italic)
                paragraph._element.insert(  # type: ignore[attr-defined]
                    paragraph._element.index(paragraph.runs[0]._element),  # type: ignore[attr-defined]
                    lead._element,
                )
            if block.indent:
                paragraph.paragraph_format.first_line_indent = Mm(10)  # type: ignore[attr-defined]
        else:
            _table(document, block)


def _sign(cell: object, signature: Signature, *, verbatim: bool = False) -> None:
    upper = (lambda text: text) if verbatim else str.upper
    if signature.mark:
        _line(cell, upper(signature.mark), 14, bold=True)
    if signature.title:
        _line(cell, upper(signature.title), 14, bold=True)
    for _ in range(4):
        _line(cell, "", 14)
    if signature.name:
        _line(cell, signature.name, 14, bold=True)


def _signatures(
    document: object, signatures: Sequence[Signature], *, verbatim: bool = False
) -> None:
    """Signing columns side by side, each centred in its share of the line."""
    _line(document, "", 6)
    table = document.add_table(rows=1, cols=len(signatures))  # type: ignore[attr-defined]
    _no_borders(table)
    _fixed_widths(table, [165 / len(signatures)] * len(signatures))
    for cell, signature in zip(table.rows[0].cells, signatures, strict=True):
        cell._element.remove(cell.paragraphs[0]._element)
        _sign(cell, signature, verbatim=verbatim)


def _recipients(container: object, lines: Sequence[str]) -> None:
    _line(container, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in lines:
        _line(container, f"- {line}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)


def _signing_block(document: object, paper: Paper) -> None:
    _line(document, "", 6)
    signing = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _no_borders(signing)
    _fixed_widths(signing, [80, 85])
    recipients_cell, signer_cell = signing.rows[0].cells
    recipients_cell._element.remove(recipients_cell.paragraphs[0]._element)
    signer_cell._element.remove(signer_cell.paragraphs[0]._element)
    _recipients(recipients_cell, paper.recipients)
    _sign(
        signer_cell,
        Signature(paper.signing_mark, paper.signer_title, paper.signer_name),
        verbatim=paper.verbatim,
    )


def _table(document: object, block: Table) -> None:
    table = document.add_table(rows=1, cols=len(block.header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, block.header, strict=True):
        cell._element.remove(cell.paragraphs[0]._element)
        _line(cell, label, 12, bold=True)
    for index, row in enumerate(block.rows):
        cells = table.add_row().cells
        bold = block.bold_last and index == len(block.rows) - 1
        for column, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell._element.remove(cell.paragraphs[0]._element)
            align = (
                WD_ALIGN_PARAGRAPH.CENTER if column in block.centred else WD_ALIGN_PARAGRAPH.LEFT
            )
            _line(cell, value, 12, bold=bold, align=align)
    if block.keep_rows:
        for index, table_row in enumerate(table.rows):
            tr_pr = table_row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if index == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))
    if block.widths_mm:
        _fixed_widths(table, block.widths_mm)
    _line(document, "", 6)
