"""A course name that looks like a formula is exported as text and imported back unchanged."""

from __future__ import annotations

import io
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from workload.models import Section
from workload.tests.conftest import Teaching
from workload.tests.test_workload_views import upload

LINK = '=HYPERLINK("http://evil.example/","Bấm vào đây")'


def test_assignment_and_statements_write_the_course_as_text_and_reimport_unchanged(
    teaching: Teaching,
) -> None:
    Section.objects.filter(pk=teaching.sections[0].pk).update(course=LINK)
    client = teaching.world.client("leadership")
    for name in ("workload:export_assignment", "workload:export_statements"):
        data = client.get(reverse(name, args=[teaching.term.pk])).content
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert not [n for n in archive.namelist() if b"<f>" in archive.read(n)]
        cells = [
            cell
            for sheet in load_workbook(io.BytesIO(data)).worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value == LINK
        ]
        assert cells and {c.data_type for c in cells} == {"s"}, name
    exported = client.get(reverse("workload:export_assignment", args=[teaching.term.pk])).content
    assert "cập nhật 0 lớp, 10 lớp không đổi" in upload(teaching, exported).content.decode()
