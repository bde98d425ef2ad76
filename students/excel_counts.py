"""Cohorts' headcounts at each count date from Excel (one row a class and a date: "Lớp", "Ngày
thống kê", "Sĩ số"), through the shared import flow (core.sheets: dry run, every error with its
row and column, all rows or none, a second import of the same file changes nothing), and the
list out."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.sheets.reading import BadWorkbook, ReadResult
from core.sheets.rows import Lookup
from core.sheets.sheet import Column, open_sheet
from core.sheets.writing import SheetWriter
from core.text import format_date
from organisations import merging
from organisations.models import Organisation
from students.models import Cohort
from students.models_counts import MAX_HEADCOUNT, CohortCount

MAX_ROWS = 40_000
HEADCOUNTS_SHEET = "Sĩ số lớp"
HEADCOUNT_COLUMNS = [
    Column("cohort", "Lớp", required=True, aliases=("Mã lớp",)),
    Column("date", "Ngày thống kê", required=True, aliases=("Ngày",)),
    Column("headcount", "Sĩ số", required=True, aliases=("Số người học", "Số HSSV")),
    Column("note", "Ghi chú"),
]


def read_headcounts(school: Organisation, data: bytes, *, today: dt.date) -> ReadResult:
    """Check every row against the school's classes; writes nothing."""
    merging.ensure_open_school(school.pk, what=_("hồ sơ người học"))
    sheet = open_sheet(data, HEADCOUNT_COLUMNS, sheet=HEADCOUNTS_SHEET, max_rows=MAX_ROWS)
    cohorts = Lookup(Cohort.objects.active().filter(school=school), ["code"], _("lớp"))
    existing = {(c.cohort_id, c.counted_on): c for c in CohortCount.objects.filter(school=school)}
    result = ReadResult(title=_("Sĩ số lớp theo ngày thống kê"))
    seen: dict[tuple[int, dt.date], int] = {}
    for row in sheet.rows():
        result.add(row.result)
        cohort = row.lookup("cohort", cohorts, required=True)
        day = row.date("date", required=True)
        headcount = row.integer("headcount", required=True, minimum=0)
        note = row.text("note", max_length=500)
        if headcount is not None and headcount > MAX_HEADCOUNT:
            row.error("headcount", _("Sĩ số không quá %(n)d.") % {"n": MAX_HEADCOUNT})
        if cohort is not None and day is not None:
            if day < cohort.starts_on:
                row.error("date", _("Ngày thống kê trước ngày khai giảng của lớp."))
            elif day > today:
                row.error("date", _("Ngày thống kê sau hôm nay."))
        row.result.label = (
            f"{cohort.code if cohort else '?'} {format_date(day) if day else '?'}: "
            f"{headcount if headcount is not None else '?'}"
        )
        if row.result.errors or cohort is None or day is None or headcount is None:
            continue
        key = (cohort.pk, day)
        if key in seen:
            row.error(
                "date", _("Trùng lớp và ngày thống kê với dòng %(row)d.") % {"row": seen[key]}
            )
            continue
        seen[key] = row.row
        row.result.values = {
            "cohort": cohort,
            "counted_on": day,
            "headcount": headcount,
            "note": note,
        }
        current = existing.get(key)
        if current is None:
            row.result.action = "create"
            continue
        changes = []
        if current.headcount != headcount:
            changes.append(("Sĩ số", str(current.headcount), str(headcount)))
        if current.note != note:
            changes.append(("Ghi chú", current.note, note))
        row.result.changes = changes
        row.result.action = "update" if changes else "unchanged"
    if not result.rows:
        result.problems.append(_("Trang tính không có dòng dữ liệu nào."))
    return result


@transaction.atomic
def import_headcounts(school: Organisation, data: bytes, *, today: dt.date, by: User) -> ReadResult:
    """Write every row, or nothing when any row has an error: the new counts in one insert and
    the corrected ones in one update, each with its history row (the database's own batches
    aside, the same few statements for 10 rows or 40,000); rows that change nothing are left."""
    result = read_headcounts(school, data, today=today)
    result.refuse_unless_ok()
    # Read once, not row by row.
    existing = {
        (count.cohort_id, count.counted_on): count
        for count in CohortCount.objects.filter(school=school)
    }
    created: list[CohortCount] = []
    updated: list[CohortCount] = []
    for line in result.rows:
        if line.action not in ("create", "update"):
            continue
        values = line.values
        count = existing.get((values["cohort"].pk, values["counted_on"]))
        if count is None:
            count = CohortCount(
                school=school, cohort=values["cohort"], counted_on=values["counted_on"]
            )
            created.append(count)
        elif (count.headcount, count.note) == (values["headcount"], values["note"]):
            continue  # already as the sheet says (changed since the dry run by someone else)
        else:
            updated.append(count)
        count.headcount, count.note = values["headcount"], values["note"]
    reason = _("Nhập từ Excel")
    try:
        with transaction.atomic():
            if created:
                bulk_create_with_history(
                    created, CohortCount, default_user=by, default_change_reason=reason
                )
            if updated:
                bulk_update_with_history(
                    updated, CohortCount, ["headcount", "note"], default_user=by,
                    default_change_reason=reason,
                )  # fmt: skip
    except IntegrityError as error:  # the same class and day imported by someone at this moment
        raise BadWorkbook(
            _("Sĩ số vừa được người khác nhập cùng lúc: chưa ghi gì; hãy chọn lại tệp.")
        ) from error
    return result


def template_workbook() -> bytes:
    workbook = SheetWriter(write_only=False)
    workbook.sheet(HEADCOUNTS_SHEET, [c.header for c in HEADCOUNT_COLUMNS], [])
    return workbook.to_bytes()


def headcounts_workbook(rows: list[tuple[CohortCount, int]]) -> bytes:
    """The counts with the headcount the student list gives on the same day."""
    workbook = SheetWriter()
    workbook.sheet(
        HEADCOUNTS_SHEET,
        [c.header for c in HEADCOUNT_COLUMNS[:3]]
        + ["Theo danh sách người học", "Chênh lệch", "Ghi chú"],
        [
            [c.cohort.code, c.counted_on, c.headcount, listed, c.headcount - listed, c.note]
            for c, listed in rows
        ],
    )
    return workbook.to_bytes()
