"""The register of documents (văn bản căn cứ) a school's plans are based on.

Numbers and symbols follow NĐ 30/2020/NĐ-CP for state documents (`2457/QĐ-BGDĐT`,
`01/2024/TT-BGDĐT`, công văn `5155/BGDĐT-GDĐH`) and HD 36-HD/VPTW for party documents
(`63-NQ/TU`). The list of types is data with its source, loaded from `data/document_types.json`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable, ArchivableQuerySet
from core.scopes import ScopedManager
from core.text import normalise
from core.versioning import Versioned
from organisations.models import Organisation


class DocumentSystem(models.TextChoices):
    STATE = "state", _("Văn bản hành chính nhà nước")
    PARTY = "party", _("Văn bản của Đảng")


class DocumentType(models.Model):
    code = models.CharField(_("chữ viết tắt"), max_length=10, unique=True)
    name = models.CharField(_("tên loại"), max_length=100)
    # The symbol of a regulatory document (văn bản quy phạm pháp luật) carries its year.
    is_regulatory = models.BooleanField(_("văn bản quy phạm pháp luật"), default=False)
    # Công văn and laws carry no type abbreviation in their symbol.
    in_symbol = models.BooleanField(_("ghi trong ký hiệu"), default=True)
    systems = models.CharField(max_length=20, default="state,party")
    source = models.TextField(_("căn cứ pháp lý"), blank=True)
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)

    class Meta:
        verbose_name = _("loại văn bản")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DocumentQuerySet(ArchivableQuerySet["Document"]):
    def in_register_of(self, school_id: int | None) -> DocumentQuerySet:
        """The organisation's register: the documents it registered and those sent to it by a
        body above it (a Sở's directive, DocumentReceipt), which it reads but does not edit."""
        received = DocumentReceipt._base_manager.filter(school_id=school_id).values("document_id")
        return self.filter(Q(school_id=school_id) | Q(pk__in=received))

    def citable(self, keep: Iterable[int] = ()) -> DocumentQuerySet:
        """What a picker offers as a basis: not archived, not withdrawn by its issuer; those in
        `keep` (what the thing already cites) stay whatever they became."""
        return self.active().filter(Q(withdrawn_at__isnull=True) | Q(pk__in=list(keep)))


DocumentManager = ScopedManager.from_queryset(DocumentQuerySet)


def document_upload_to(instance: Document, filename: str) -> str:
    return f"documents/{instance.school_id}/{filename}"


class Document(Versioned, Archivable):
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("sổ văn bản của"),
        on_delete=models.PROTECT,
        related_name="registered_documents",
    )
    system = models.CharField(
        _("hệ thống"), max_length=10, choices=DocumentSystem.choices, default=DocumentSystem.STATE
    )
    doc_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("loại văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    number = models.CharField(_("số"), max_length=20)
    year = models.PositiveIntegerField(
        _("năm trong ký hiệu"),
        null=True,
        blank=True,
        help_text=_("Chỉ với văn bản quy phạm pháp luật, ví dụ 01/2024/TT-BGDĐT"),
    )
    issuer_code = models.CharField(
        _("ký hiệu cơ quan ban hành"),
        max_length=80,
        help_text=_("Ví dụ: BGDĐT, UBND, TU; công văn ghi cả đơn vị soạn thảo: BGDĐT-GDĐH"),
    )
    symbol = models.CharField(_("số, ký hiệu"), max_length=120, editable=False, db_index=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    issuer_name = models.CharField(
        _("cơ quan, người ban hành (như ghi trong văn bản)"), max_length=255, blank=True
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    summary = models.TextField(_("trích yếu"))
    file = models.FileField(
        _("tệp đính kèm"),
        upload_to=document_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["pdf", "doc", "docx", "odt", "txt", "xls", "xlsx"])],
    )

    # Withdrawn (thu hồi) by its issuer after it was sent down: it stays in every register it
    # reached, and the tasks built on it keep their links, all marked withdrawn with the reason.
    withdrawn_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu hồi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("lý do thu hồi"), blank=True)

    history = HistoricalRecords()
    # A school sees its own register and the documents sent to it (the register's receipts).
    objects = DocumentManager("school", also="receipts__school")

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "symbol"]

    def __str__(self) -> str:
        type_name = self.doc_type.name if self.doc_type_id and self.doc_type else ""
        return f"{type_name} số {self.symbol}".strip()

    def search_source(self) -> list[str]:
        return [self.symbol, self.summary, self.issuer_name, self.signer_title]

    def save(self, *args: object, **kwargs: object) -> None:
        self.refresh_symbol()
        super().save(*args, **kwargs)

    def refresh_symbol(self) -> None:
        self.symbol = compose_symbol(
            system=self.system,
            number=self.number,
            year=self.year,
            type_code=self.doc_type.code
            if self.doc_type_id and self.doc_type and self.doc_type.in_symbol
            else None,
            issuer_code=self.issuer_code,
        )

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def issued_year(self) -> int | None:
        return self.issued_on.year if isinstance(self.issued_on, dt.date) else None


def compose_symbol(
    *, system: str, number: str, year: int | None, type_code: str | None, issuer_code: str
) -> str:
    """Number and symbol as written on the document.

    State (NĐ 30/2020): `2457/QĐ-BGDĐT`, `01/2024/TT-BGDĐT`, công văn `5155/BGDĐT-GDĐH`.
    Party (HD 36-HD/VPTW): `63-NQ/TU`.
    """
    number = normalise(number).replace(" ", "")
    issuer_code = normalise(issuer_code).replace(" ", "")
    if system == DocumentSystem.PARTY:
        return f"{number}-{type_code}/{issuer_code}" if type_code else f"{number}/{issuer_code}"
    parts = [number]
    if year:
        parts.append(str(year))
    parts.append(f"{type_code}-{issuer_code}" if type_code else issuer_code)
    return "/".join(parts)


class DocumentReceipt(models.Model):
    """A document of a body above the school (a Sở's directive) sent to one school: it is then in
    that school's register, read-only, and its tasks may implement it. Who sent it and when is
    kept; the document stays the sender's (Document.school)."""

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="receipts"
    )
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị nhận"),
        on_delete=models.PROTECT,
        related_name="received_documents",
    )
    sent_at = models.DateTimeField(_("gửi lúc"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The sender sees how many of the school's tasks implement the document; their names only
    # when the school's leadership chooses to share them.
    shares_tasks = models.BooleanField(_("cho cơ quan gửi xem tên nhiệm vụ"), default=False)

    history = HistoricalRecords()
    # The recipient sees its receipts, the sender those of its own documents.
    objects = ScopedManager("school", also="document__school")

    class Meta:
        verbose_name = _("văn bản gửi đến")
        verbose_name_plural = _("văn bản gửi đến")
        ordering = ["document", "school__order", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "school"], name="document_received_once_per_school"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.school}"
