"""Changes to a school's Word templates: upload (checked first; nothing stored when rejected)
and stop using. An old template is archived, never deleted."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from organisations.models import Organisation
from papers import registry
from papers.docx_templates import TemplateRejected, check_template
from papers.models import PaperTemplate


def _archive_active(school: Organisation, kind: str, *, by: User, reason: str) -> None:
    for old in PaperTemplate.objects.select_for_update().filter(
        school=school, kind=kind, is_active=True
    ):
        old.is_active = False
        old.archived_at = timezone.now()
        stamp(old, by, reason)
        old.save(update_fields=["is_active", "archived_at"])


@transaction.atomic
def upload_template(
    school: Organisation, kind_code: str, *, data: bytes, name: str, by: User
) -> PaperTemplate:
    """Check the .docx against the kind (and the school's latest data), then make it the one in use."""
    if kind_code not in registry.KINDS:
        raise ValidationError(_("Không có loại giấy tờ này."))
    kind = registry.get(kind_code)
    sample = kind.latest(school) if kind.latest else None
    try:
        used = check_template(data, kind, sample)
    except TemplateRejected as error:
        raise ValidationError(str(error)) from error
    _archive_active(school, kind_code, by=by, reason=_("Thay bằng mẫu mới"))
    template = PaperTemplate(
        school=school,
        kind=kind_code,
        original_name=(name or "mau.docx")[:255],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        placeholders=used,
        uploaded_by=by,
    )
    template.file.save("mau.docx", ContentFile(data), save=False)
    stamp(template, by, _("Tải lên mẫu văn bản"))
    template.save()
    return template


@transaction.atomic
def stop_template(school: Organisation, kind_code: str, *, by: User) -> None:
    """Go back to the built-in layout; the template stays in the history."""
    _archive_active(school, kind_code, by=by, reason=_("Thôi dùng mẫu, trở lại mẫu dựng sẵn"))
