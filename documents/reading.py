"""Text out of what a clerk pastes or uploads: plain text (UTF-8) or Word (.docx).

A .docx is read without python-docx: that library builds the whole document tree and a proxy
object per paragraph, about 4 s and 40 MB of memory per MiB of dense XML, so a 47 KB upload that
unpacks to 30 MiB took 90 s and 1.8 GB. Here the package is bounded first (core.uploads: member
sizes, total, ratio, no DTD or comment, no oversized token), then word/document.xml is read
streaming with defusedxml (no DTD, no entities), keeping only the current top-level paragraph or
table in memory. The text is the same as python-docx gives: the body's paragraphs, then each
table's cells row by row (a merged cell repeated over the columns and rows it spans).
"""

from __future__ import annotations

import zipfile
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from core.errors import DomainError
from core.uploads import ArchiveRefused, DamagedArchive, MiB, check_package

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# The document part of a 200-page plan is a few MiB. 6 MiB of the densest XML the other bounds
# let through (tiny paragraphs or table cells) reads in 2-4 s on a busy server.
MAX_DOCUMENT_XML = 6 * MiB
MAX_PACKAGE = 40 * MiB

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BODY, _P, _TBL, _TR, _TC = f"{W}body", f"{W}p", f"{W}tbl", f"{W}tr", f"{W}tc"
_R, _HYPERLINK, _T, _BR = f"{W}r", f"{W}hyperlink", f"{W}t", f"{W}br"
_RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}


class UnreadableFile(DomainError):
    """The file is not text or Word; the message says so in Vietnamese."""


def _run_text(run: Any) -> str:
    parts: list[str] = []
    for child in run:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _BR:
            kind = child.get(f"{W}type")
            parts.append("\n" if kind in (None, "textWrapping") else "")
        else:
            parts.append(_RUN_TEXT.get(child.tag, ""))
    return "".join(parts)


def _paragraph_text(p: Any) -> str:
    """Runs directly in the paragraph and in its hyperlinks, as python-docx reads them."""
    parts: list[str] = []
    for child in p:
        if child.tag == _R:
            parts.append(_run_text(child))
        elif child.tag == _HYPERLINK:
            parts.extend(_run_text(run) for run in child if run.tag == _R)
    return "".join(parts)


def _int_val(element: Any | None, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(f"{W}val") or default)
    except ValueError:
        return default


def _row_cells(tr: Any, above: dict[int, tuple[str, int]]) -> tuple[list[str], dict[int, Any]]:
    """A table row's cells, a horizontally merged cell once per column it spans and a
    vertically merged one (vMerge continue) repeating the cell above, as python-docx gives them;
    with the row's cells by grid column, for the next row."""
    tr_pr = tr.find(f"{W}trPr")
    offset = _int_val(tr_pr.find(f"{W}gridBefore") if tr_pr is not None else None, 0)
    cells: list[str] = []
    row: dict[int, tuple[str, int]] = {}
    for tc in tr.iterchildren(_TC):
        tc_pr = tc.find(f"{W}tcPr")
        span = max(1, _int_val(tc_pr.find(f"{W}gridSpan") if tc_pr is not None else None, 1))
        merge = tc_pr.find(f"{W}vMerge") if tc_pr is not None else None
        if merge is not None and merge.get(f"{W}val", "continue") == "continue":
            text, span = above.get(offset, ("", span))
        else:
            text = "\n".join(_paragraph_text(p) for p in tc.iterchildren(_P))
        row[offset] = (text, span)
        cells.extend([text] * span)
        offset += span
    return cells, row


def _drop(element: Any, parent: Any) -> None:
    """Forget a block once read, and what came before it: memory stays flat."""
    element.clear()
    while element.getprevious() is not None:
        del parent[0]


def _document_text(source: Any) -> str:
    paragraphs: list[str] = []
    tables: list[str] = []
    above: dict[int, tuple[str, int]] = {}
    # lxml, not python-docx: only the end of each paragraph, table row and table is reported
    # (from C), and only the current one is kept. The package check has already refused any
    # DTD, so no entity can be declared; resolve_entities/no_network/huge_tree keep lxml's own
    # guards.
    for _event, element in etree.iterparse(
        source,
        events=("end",),
        tag=(_P, _TR, _TBL),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    ):
        parent = element.getparent()
        if parent is None:
            continue
        if element.tag == _TR:
            table_parent = parent.getparent()
            if parent.tag == _TBL and table_parent is not None and table_parent.tag == _BODY:
                cells, above = _row_cells(element, above)
                tables.extend(cells)
                _drop(element, parent)
            continue
        if parent.tag != _BODY:
            continue  # a paragraph in a table cell: read with its row
        if element.tag == _P:
            paragraphs.append(_paragraph_text(element))
        else:
            above = {}
        _drop(element, parent)
    return "\n".join(paragraphs + tables)


def text_from_docx(data: bytes) -> str:
    """The text of a .docx; UnreadableFile (in Vietnamese) if it is not one or is refused."""
    try:
        archive = check_package(data, max_member=MAX_DOCUMENT_XML, max_total=MAX_PACKAGE)
        with archive.open("word/document.xml") as source:
            return _document_text(source)
    except DamagedArchive as error:
        raise UnreadableFile(_("Không đọc được tệp Word (.docx) này.")) from error
    except ArchiveRefused as error:
        raise UnreadableFile(str(error)) from error
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError) as error:
        # KeyError: no word/document.xml.
        raise UnreadableFile(_("Không đọc được tệp Word (.docx) này.")) from error


def text_from_upload(name: str, data: bytes) -> str:
    """Decode an uploaded .txt or .docx, judging by its content as well as its name."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(_("Tệp quá lớn (tối đa 5 MB)."))
    if data[:2] == b"PK" or name.lower().endswith(".docx"):
        return text_from_docx(data)
    if name.lower().endswith(".doc") or data[:4] == b"\xd0\xcf\x11\xe0":
        raise UnreadableFile(
            _("Tệp .doc cũ chưa được hỗ trợ: hãy lưu lại thành .docx hoặc dán nội dung.")
        )
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise UnreadableFile(_("Tệp không phải văn bản thuần (UTF-8) hay Word (.docx)."))
