"""The demo school's reports: the Báo cáo sơ kết học kỳ I (figures to 05/01/2024, issued that
day), a draft Báo cáo tổng kết năm học and a draft report of Phòng KHCN&ĐBCL.

Figures come from the demo's sample progress; the narrative is drafted from its sample check-ins,
and the few sentences written here are invented, so every report is marked `is_sample` and its
invented text says "(dữ liệu mẫu)". Loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from organisations.models import Organisation, Position, Role
from planning.models import Plan
from reports import services
from reports.models import Report

SEMESTER_CUTOFF = dt.date(2024, 1, 5)
YEAR_CUTOFF = dt.date(2024, 6, 28)

SITUATION = """Thực hiện Kế hoạch thực hiện nhiệm vụ trọng tâm năm học 2023–2024 được triển khai tại Hội nghị viên chức, người lao động ngày 26/9/2023, trong học kỳ I (từ ngày 01/09/2023 đến ngày 05/01/2024), Nhà trường đã triển khai đồng bộ các nhiệm vụ, giải pháp trọng tâm; các đơn vị báo cáo tiến độ hằng tháng trên hệ thống Trọng Tâm. (dữ liệu mẫu)
1. Thuận lợi: được sự quan tâm chỉ đạo của UBND tỉnh và Sở Giáo dục và Đào tạo; đội ngũ viên chức đoàn kết, có tinh thần trách nhiệm; các quy chế nội bộ được rà soát, bổ sung kịp thời. (dữ liệu mẫu)
2. Khó khăn: quy mô tuyển sinh còn thấp so với chỉ tiêu; kinh phí được cấp muộn; một số viên chức đi học tập trung nên thiếu nhân lực ở một vài đơn vị. (dữ liệu mẫu)"""

CAUSES = "Nguyên nhân: nguồn tuyển giảm do nhu cầu giáo viên của địa phương thay đổi; việc phân bổ kinh phí phụ thuộc kế hoạch của tỉnh; một số đơn vị chưa chủ động báo cáo đúng kỳ. (dữ liệu mẫu)"


def load_reports_demo(plan: Plan | None, by: Any) -> None:
    if plan is None or Report.objects.filter(plan=plan).exists():
        return
    semester = services.create_report(
        plan, kind="semester", cutoff=SEMESTER_CUTOFF, by=by, is_sample=True
    )
    shortcomings = semester.shortcomings.replace(
        "Nguyên nhân: (Ban giám hiệu bổ sung nguyên nhân khách quan, chủ quan)", CAUSES
    )
    semester = services.update_narrative(
        semester,
        by=by,
        texts={"situation": SITUATION, "shortcomings": shortcomings},
        expected_version=semester.version,
    )
    principal = (
        Position.objects.current(SEMESTER_CUTOFF)
        .filter(organisation=plan.school, role=Role.LEADERSHIP, title__iexact="Hiệu trưởng")
        .select_related("person")
        .first()
    )
    if principal is not None and plan.school.abbreviation:
        services.issue_report(semester, by=by, on=SEMESTER_CUTOFF, signer=principal)
    services.create_report(plan, kind="year", cutoff=YEAR_CUTOFF, by=by, is_sample=True)
    unit = Organisation.objects.filter(school=plan.school, code="khcn-dbcl").first()
    if unit is not None:
        services.create_report(
            plan, kind="unit", unit=unit, cutoff=SEMESTER_CUTOFF, by=by, is_sample=True
        )


def load_demo(plan: Plan, loader: Any) -> None:
    """The demo plan's reports (demo/loader.py calls every domain's `load_demo`)."""
    load_reports_demo(plan, loader.by)
