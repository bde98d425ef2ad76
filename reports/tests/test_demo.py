"""The demo school's Báo cáo sơ kết học kỳ I: issued with its number, figures frozen."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from planning.models import Plan
from reports import figures
from reports.demo import load_reports_demo
from reports.models import Report


@pytest.mark.django_db
def test_demo_has_an_issued_semester_report_and_drafts(demo_plan: Plan) -> None:
    plan = demo_plan
    semester = Report.objects.get(plan=plan, kind="semester")
    assert semester.is_issued and semester.is_sample
    assert semester.cutoff.isoformat() == "2024-01-05"
    assert "(dữ liệu mẫu)" in semester.situation
    assert semester.snapshot == figures.compute(semester)
    assert semester.snapshot["totals"]["total"] > 0 and semester.snapshot["targets"]
    assert {r.kind for r in Report.objects.filter(plan=plan, status="draft")} == {"year", "unit"}
    load_reports_demo(plan, None)  # twice: nothing more
    assert Report.objects.filter(plan=plan).count() == 3

    client: Any = Client()
    # django-axes checks every password login against its request.
    assert client.login(request=HttpRequest(), username="nongthihanh", password="trongtam-demo")
    response = client.get(reverse("papers:download", args=["report_semester", semester.pk, "docx"]))
    document = docx.Document(io.BytesIO(response.content))
    left, right = document.tables[0].rows[0].cells
    assert left.paragraphs[-1].text == "Số: 01/BC-CĐSPLS"
    assert right.paragraphs[2].text == "Lạng Sơn, ngày 05 tháng 01 năm 2024"
