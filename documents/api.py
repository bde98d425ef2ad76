"""The documents register in the JSON API (mounted by the `api` app, see core.endpoints)."""

import datetime as dt
from typing import Any

from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from core.endpoints import FAILS_INPUT, FAILS_OBJECT, LazyPage, ObjectId, Page, register
from core.permissions import get_authorised
from core.requests import ApiRequest
from documents.models import Document
from organisations.api import school_id


class DocumentOut(Schema):
    id: int
    symbol: str
    doc_type: str | None
    issued_on: dt.date | None
    issuer_name: str
    summary: str
    version: int = Field(description="Phiên bản của bản ghi, tăng sau mỗi lần lưu")
    withdrawn_at: dt.datetime | None = Field(
        None, description="Thời điểm cơ quan ban hành thu hồi văn bản (không còn làm căn cứ)"
    )
    withdrawal_reason: str = Field("", description="Lý do thu hồi")


router = register("/", Router(tags=["văn bản"]))


@router.get("/documents", response={200: list[DocumentOut], **FAILS_INPUT})
@paginate(Page)
def documents(request: ApiRequest) -> Any:
    return LazyPage(
        Document.objects.active()
        .in_register_of(school_id(request))
        .select_related("doc_type")
        .order_by("-issued_on", "symbol", "pk"),
        document_out,
    )


def document_out(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "symbol": document.symbol,
        "doc_type": document.doc_type.name if document.doc_type else None,
        "issued_on": document.issued_on,
        "issuer_name": document.issuer_name,
        "summary": document.summary,
        "version": document.version,
        "withdrawn_at": document.withdrawn_at,
        "withdrawal_reason": document.withdrawal_reason,
    }


@router.get("/documents/{document_id}", response={200: DocumentOut, **FAILS_OBJECT})
def document_detail(request: ApiRequest, document_id: ObjectId) -> Any:
    document = get_authorised(
        request.auth,
        Document.objects.active().select_related("doc_type"),
        "documents.view_document",
        pk=document_id,
    )
    return document_out(document)
