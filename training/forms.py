"""The training pages' forms: they read and check what is typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledFormMixin
from core.versioning import VersionedFormMixin
from documents.models import Document
from organisations.models import Organisation
from training.models import (
    CertificateIssue,
    Course,
    Dossier,
    DossierStatus,
    DossierStep,
    Partner,
    StepTemplate,
)


def _units(school_id: int) -> Any:
    return Organisation.objects.active().filter(school_id=school_id).order_by("name")


def _documents(school_id: int) -> Any:
    return (
        Document.objects.in_register_of(school_id)
        .citable()
        .select_related("doc_type")
        .order_by("-issued_on", "symbol")
    )


def _label_document(document: Document) -> str:
    day = f" ngày {document.issued_on:%d/%m/%Y}" if document.issued_on else ""
    return f"{document.symbol}{day} – {document.summary[:80]}"


class TrainingOfficeForm(StyledFormMixin, forms.Form):
    office = forms.ModelChoiceField(
        label=_("Phòng phụ trách đào tạo"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = _units(school_id)


class DossierForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[Dossier]):
    class Meta:
        model = Dossier
        fields = [
            "code", "name", "level", "mode", "faculty", "started_on", "first_intake", "status",
            "decision", "note",
        ]  # fmt: skip
        widgets = {"started_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["faculty"].queryset = _units(school_id)
        decision = self.fields["decision"]
        decision.queryset = _documents(school_id)
        decision.label_from_instance = _label_document
        decision.help_text = _(
            "Quyết định cho phép mở ngành, đã vào sổ văn bản (menu Văn bản → Vào sổ văn bản)."
        )
        status = self.fields["status"]
        if self.instance.pk is None:
            del self.fields["status"]
            del self.fields["decision"]
        elif self.instance.status != DossierStatus.OPENED:
            status.choices = [
                (value, label)
                for value, label in DossierStatus.choices
                if value != DossierStatus.OPENED
            ]


class StepForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[DossierStep]):
    class Meta:
        model = DossierStep
        fields = ["order", "title", "responsible", "unit", "due_on", "status", "done_on", "note"]
        widgets = {
            "due_on": DateInput(),
            "done_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(school_id)


class StepStatusForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[DossierStep]):
    """The quick change of a step's status on the dossier's page (HTMX)."""

    class Meta:
        model = DossierStep
        fields = ["status", "done_on"]
        widgets = {"done_on": DateInput(attrs={"class": "form-control form-control-sm"})}


class StepDocumentForm(StyledFormMixin, forms.Form):
    step = forms.ModelChoiceField(label=_("Bước"), queryset=DossierStep.objects.none())
    document = forms.ModelChoiceField(label=_("Văn bản trong sổ"), queryset=Document.objects.none())
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: Any, dossier: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school_id = dossier.school_id
        self.fields["step"].queryset = DossierStep.objects.active().filter(dossier=dossier)
        field: Any = self.fields["document"]
        field.queryset = _documents(school_id)
        field.label_from_instance = _label_document


class StepTemplateForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[StepTemplate]):
    source_url = forms.URLField(
        label=_("Nguồn"), max_length=300, required=False, assume_scheme="https"
    )

    class Meta:
        model = StepTemplate
        fields = [
            "order", "title", "responsible", "outputs", "days", "valid_from", "valid_to",
            "source", "source_url",
        ]  # fmt: skip
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "outputs": forms.Textarea(attrs={"rows": 2}),
        }


class PartnerForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[Partner]):
    class Meta:
        model = Partner
        fields = ["name", "kind", "address", "contact"]


class CourseForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm[Course]):
    class Meta:
        model = Course
        fields = [
            "kind", "title", "partner", "unit", "agreement", "starts_on", "ends_on",
            "participants", "certificate", "status", "note",
        ]  # fmt: skip
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.active().filter(school_id=school_id)
        self.fields["unit"].queryset = _units(school_id)
        agreement = self.fields["agreement"]
        agreement.queryset = _documents(school_id)
        agreement.label_from_instance = _label_document
        agreement.help_text = _(
            "Hợp đồng, thỏa thuận liên kết hoặc quyết định mở lớp, đã vào sổ văn bản."
        )


class CertificateIssueForm(StyledFormMixin, forms.ModelForm[CertificateIssue]):
    class Meta:
        model = CertificateIssue
        fields = ["issued_on", "count", "numbers", "decision"]
        widgets = {"issued_on": DateInput()}

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decision = self.fields["decision"]
        decision.queryset = _documents(school_id)
        decision.label_from_instance = _label_document
