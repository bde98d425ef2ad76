"""The body's own list of its schools, kept by its leadership and clerks (it was the site
administrator's alone): a school added (a new organisation, with the body directing it), its
name, short name and kind corrected, its entry stopped or taken up again. Nothing is deleted: a
school the body no longer directs keeps its entry, archived (its mergers, its history stay the
body's); every change is in the history of the organisation and of the entry.

Only the body's own entries: a school another body directs is not touched through this list, and
the school's own tree (its units, its people) stays the school's.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from core.versioning import claim_version
from organisations.merging import absorbed_by
from organisations.models import Organisation, OrganisationKind
from province.models import DirectedSchool, SchoolLevel
from province.services import ProvinceError, require_directing


def _clean(name: str, short_name: str, level: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    short_name = " ".join((short_name or "").split())
    if not name:
        raise ProvinceError(_("Hãy ghi tên trường."))
    if level not in SchoolLevel.values:
        raise ProvinceError(_("Hãy chọn cấp học, loại trường."))
    return name, short_name


def _taken(body: Organisation, name: str, *, but: int | None = None) -> bool:
    """Another school of the body's list (current or not) has the same name."""
    entries = DirectedSchool._base_manager.filter(body=body, school__name__iexact=name)
    if but is not None:
        entries = entries.exclude(pk=but)
    return entries.exists()


@transaction.atomic
def add_school(
    body: Organisation, *, name: str, short_name: str = "", level: str, by: User
) -> DirectedSchool:
    """A new school in the body's list: the organisation (the top of its own tree, for its
    leadership to fill) and the body's entry directing it."""
    require_directing(body)
    name, short_name = _clean(name, short_name, level)
    if _taken(body, name):
        raise ProvinceError(_("Danh sách đã có trường “%(name)s”.") % {"name": name})
    school = Organisation(name=name, short_name=short_name, kind=OrganisationKind.SCHOOL)
    stamp(school, by, _("Cơ quan chỉ đạo thêm vào danh sách trường"))
    school.save()
    entry = DirectedSchool(body=body, school=school, level=level)
    stamp(entry, by, _("Thêm vào danh sách trường"))
    entry.save()
    return entry


@transaction.atomic
def edit_school(
    entry: DirectedSchool,
    *,
    name: str,
    short_name: str,
    level: str,
    active: bool,
    by: User,
    expected_version: int | None = None,
) -> DirectedSchool:
    """Correct a school's name, short name and kind in the body's list, and stop directing it
    (archived, not deleted) or take it up again. A form opened before another save is refused
    (EditConflict, 409) and writes nothing."""
    require_directing(entry.body)
    name, short_name = _clean(name, short_name, level)
    claim_version(entry, expected_version)
    if _taken(entry.body, name, but=entry.pk):
        raise ProvinceError(_("Danh sách đã có trường “%(name)s”.") % {"name": name})
    school = Organisation.objects.select_for_update().get(pk=entry.school_id)
    if (school.name, school.short_name) != (name, short_name):
        school.name, school.short_name = name, short_name
        stamp(school, by, _("%(body)s sửa tên trường") % {"body": str(entry.body)})
        school.save(update_fields=["name", "short_name"])
        entry.school = school
    was_active = not entry.is_archived
    if active and not was_active and absorbed_by(entry.school_id) is not None:
        raise ProvinceError(_("Trường đã sáp nhập vào trường khác: không chỉ đạo trở lại được."))
    entry.level = level
    if active != was_active:
        entry.archived_at = None if active else timezone.now()
    stamp(
        entry,
        by,
        None
        if active == was_active
        else (_("Chỉ đạo trở lại") if active else _("Ngừng chỉ đạo (không xóa)")),
    )
    entry.save()
    return entry


def school_entries(body_id: int) -> list[DirectedSchool]:
    """Every entry of the body's list, current ones first, then those it stopped directing."""
    return sorted(
        DirectedSchool.objects.filter(body_id=body_id).select_related("school"),
        key=lambda entry: (entry.is_archived, entry.level, entry.school.order, entry.school.name),
    )
