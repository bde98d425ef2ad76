"""The register (sổ văn bản) in Excel: its list export, and documents into it from Excel.

The register's list export (documents_workbook, sheet “Sổ văn bản”) is the sample file of the
import: exported, edited and imported back, it changes only what was edited.

A row is one document: its number and symbol as written ("2457/QĐ-BGDĐT", "63-NQ/TU",
"5155/BGDĐT-GDĐH"), type, date of issue, issuing body, signer and summary. A document already in
the register (same symbol, hence same issuer, and same year of issue) is recognised: the row
then updates it or leaves it unchanged. Everything goes through documents.services.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.audit import stamp
from core.sheets.reading import BadWorkbook, ReadResult
from core.sheets.rows import Lookup, Row, check_unique
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import Out, SheetWriter
from core.text import format_date, normalise
from documents.models import Document, DocumentReceipt, DocumentType, compose_symbol
from documents.references import extract_references, symbol_key
from documents.services import (
    DuplicateDocument,
    clean_summary,
    find_existing,
    register_document,
    registered_by_key,
    sent_message,
)
from organisations.models import Organisation

# The sheet of the register's export (documents_workbook below), which round-trips.
SHEET = "Sổ văn bản"
COLUMNS = [
    Column("symbol", "Số, ký hiệu", required=True, aliases=("Số ký hiệu", "Ký hiệu")),
    Column("doc_type", "Loại văn bản", aliases=("Loại",)),
    Column("issued_on", "Ngày ban hành", aliases=("Ngày",)),
    Column("issuer_name", "Cơ quan ban hành"),
    Column("signer_title", "Chức vụ người ký"),
    Column("summary", "Trích yếu", required=True, aliases=("Trích yếu nội dung",)),
]
# What a row may change on a registered document (the symbol identifies it).
FIELDS = ("doc_type", "issued_on", "issuer_name", "signer_title", "summary")


def _issuers(school_id: int) -> Lookup:
    """Bodies above schools and the school's own units, by name, short name or abbreviation."""
    bodies = Organisation.objects.active().outside_schools() | Organisation.objects.active().filter(
        school_id=school_id
    )
    return Lookup(bodies, ("name", "short_name"), _("cơ quan"))


def read_documents(school: Organisation, data: bytes) -> ReadResult:
    """Check every row against the register; writes nothing. BadWorkbook if the file is unusable."""
    sheet = open_sheet(data, COLUMNS, sheet=SHEET)
    types = list(DocumentType.objects.all())
    type_choices = [(t.code, t.name) for t in types]
    types_by_code = {t.code: t for t in types}
    register = registered_by_key(school.pk)
    issuers = _issuers(school.pk)
    # The body's documents sent down: corrected or withdrawn on their own page only.
    sent = set(
        DocumentReceipt._base_manager.filter(document__school_id=school.pk).values_list(
            "document_id", flat=True
        )
    )
    result = ReadResult(title=_("Sổ văn bản"))
    rows: list[Row] = []
    for row in sheet.rows():
        rows.append(row)
        result.add(row.result)
        _read_row(sheet, row, type_choices, types_by_code, register, issuers, school.pk, sent)
    check_unique(((r, r.result.values.get("key", "")) for r in rows), "symbol")
    for row in rows:
        if row.result.errors:
            row.result.action = ""
    return result


def _read_row(
    sheet: Any,
    row: Row,
    type_choices: list[tuple[str, str]],
    types_by_code: dict[str, DocumentType],
    register: dict[str, list[Document]],
    issuers: Lookup,
    school_id: int,
    sent: set[int],
) -> None:
    values = row.result.values
    written = normalise(row.text("symbol", required=True, max_length=120))
    exact = normalise(str(row.raw.get("doc_type") or ""))
    chosen = exact if exact in types_by_code else row.choice("doc_type", type_choices)
    issued_on = row.date("issued_on")
    issuer_name = normalise(row.text("issuer_name", max_length=255))
    signer_title = normalise(row.text("signer_title", max_length=150))
    summary = row.text("summary", required=True)
    row.result.label = f"{written} — {summary[:80]}" if written else summary[:80]
    if not written:
        return
    references = [
        r for r in extract_references(written) if symbol_key(r.ref) == symbol_key(written)
    ]
    reference = references[0] if references else None
    if reference is None or not reference.number[:1].isdigit():
        row.error(
            "symbol",
            _(
                "Không đọc được số, ký hiệu “%(v)s” (ví dụ: 2457/QĐ-BGDĐT, 01/2024/TT-BGDĐT, "
                "63-NQ/TU, công văn 5155/BGDĐT-GDĐH)."
            )
            % {"v": written},
        )
        return
    code = reference.type_code or chosen
    if reference.type_code and chosen and chosen != reference.type_code:
        row.error(
            "doc_type",
            _("Ký hiệu ghi loại %(code)s, cột này ghi loại khác.") % {"code": reference.type_code},
        )
        return
    doc_type = types_by_code.get(code or "")
    if doc_type is None:
        row.error("doc_type", _("Cần ghi loại văn bản (ví dụ: Công văn, Quyết định)."))
        return
    if reference.system not in doc_type.systems.split(","):
        row.error("doc_type", _("Loại văn bản này không dùng trong hệ thống văn bản của ký hiệu."))
        return
    symbol = compose_symbol(
        system=reference.system,
        number=reference.number,
        year=reference.year,
        type_code=doc_type.code if doc_type.in_symbol else None,
        issuer_code=reference.issuer_code or "",
    )
    if symbol_key(symbol) != symbol_key(written):
        row.error(
            "symbol",
            _("Với loại “%(type)s”, số, ký hiệu phải viết là %(symbol)s.")
            % {"type": doc_type.name, "symbol": symbol},
        )
        return
    values.update(
        # State numbers restart every year: one symbol may appear once per year of issue.
        key=f"{symbol_key(symbol)}|{issued_on.year if issued_on else ''}",
        symbol=symbol,
        system=reference.system,
        number=reference.number,
        year=reference.year,
        issuer_code=reference.issuer_code or "",
        doc_type=doc_type,
        issued_on=issued_on,
        issuer_name=issuer_name,
        issuer=issuers.get(issuer_name) if issuer_name else None,
        signer_title=signer_title,
        summary=clean_summary(summary),
    )
    if row.result.errors:
        return
    existing = find_existing(register, symbol, issued_on)
    values["existing"] = existing
    if existing is None:
        row.result.action = "create"
        return
    if existing.school_id != school_id:
        # Sent by a body above (a Sở's directive): in the register already, not the school's
        # to correct.
        row.result.action = "unchanged"
        return
    header = sheet.header
    for name in FIELDS:
        old = _issuer_shown(existing) if name == "issuer_name" else getattr(existing, name)
        new = values[name]
        if name == "issued_on" and new is None:
            continue  # a blank date keeps the registered one
        if old != new and (old or new):
            row.result.changes.append((header(name), _shown(name, old), _shown(name, new)))
    if row.result.changes and existing.pk in sent:
        row.error("symbol", sent_message())
        row.result.changes = []
        return
    row.result.action = "update" if row.result.changes else "unchanged"


@transaction.atomic
def import_documents(school: Organisation, data: bytes, *, by: User) -> ReadResult:
    """Register or update every row, or nothing when any row has an error."""
    result = read_documents(school, data)
    result.refuse_unless_ok()
    reason = _("Nhập từ Excel")
    for row in result.rows:
        if row.action == "unchanged":
            continue
        values = row.values
        document = values["existing"] or Document(
            school=school,
            system=values["system"],
            number=values["number"],
            year=values["year"],
            issuer_code=values["issuer_code"],
        )
        for name in FIELDS:
            if name == "issued_on" and values[name] is None:
                continue
            if name == "issuer_name" and document.pk and values[name] == _issuer_shown(document):
                continue
            setattr(document, name, values[name])
        if values["issuer"] is not None and document.issuer_id is None:
            document.issuer = values["issuer"]
        stamp(document, by, reason)
        try:
            register_document(document, by=by)
        except DuplicateDocument as error:
            raise BadWorkbook(
                _("Dòng %(row)d: %(error)s Chưa ghi gì.") % {"row": row.row, "error": error}
            ) from error
    return result


def _issuer_shown(document: Document) -> str:
    """The issuing body as the register shows it: as written, else the linked body's name."""
    return document.issuer_name or (document.issuer.name if document.issuer else "")


def _shown(name: str, value: Any) -> str:
    if name == "doc_type":
        return value.name if value else ""
    if name == "issued_on":
        return format_date(value)
    return str(value or "")


# The register as a list ----------------------------------------------------------------------


def documents_workbook(documents: QuerySet[Document]) -> bytes:
    columns = [
        Out(_("Số, ký hiệu"), 22),
        Out(_("Loại văn bản"), 16),
        Out(_("Ngày ban hành"), 12, "date"),
        Out(_("Cơ quan ban hành"), 32),
        Out(_("Trích yếu"), 60),
        Out(_("Chức vụ người ký"), 20),
        Out(_("Hệ thống"), 12),
        Out(_("Số nhiệm vụ thực hiện"), 12, "number"),
    ]

    def rows() -> Iterator[list[Any]]:
        for d in documents.iterator(chunk_size=2000):
            issuer = d.issuer_name or (d.issuer.name if d.issuer else "")
            yield [
                d.symbol, d.doc_type.name if d.doc_type else "", d.issued_on, issuer,
                d.summary, d.signer_title, d.get_system_display(), getattr(d, "task_count", 0),
            ]  # fmt: skip

    book = SheetWriter()
    book.sheet(_("Sổ văn bản"), columns, rows())
    return book.to_bytes()
