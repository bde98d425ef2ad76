"""The demo school's students (sample data): programmes (Giáo dục Mầm non, Giáo dục Tiểu học and a
few others), three intakes with quotas and counts, cohorts whose headcount falls through the
course, the student affairs office and a class adviser (demo/loader.py calls every domain's
`load_demo`)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from core.audit import stamp
from students import alerts, feeds, figures, services, support
from students.models import (
    AcademicWarning,
    Benchmark,
    Cohort,
    Programme,
    Student,
    TermResult,
    WarningRule,
)
from students.models_counts import CohortCount
from students.models_support import SupportRule
from students.seed import sync_benchmarks, sync_support_rules, sync_warning_rules

PROGRAMMES = [
    # code, name, level, faculty key, quotas and enrolled for 2023, 2024, 2025
    ("51140201", "Giáo dục Mầm non", "college", "k-thmn", [(120, 98), (120, 104), (130, 111)]),
    ("51140202", "Giáo dục Tiểu học", "college", "k-thmn", [(80, 52), (80, 47), (90, 61)]),
    ("51140209", "Sư phạm Toán học", "college", "k-tunhien", [(40, 14), (40, 19), (40, 17)]),
    ("51140217", "Sư phạm Ngữ văn", "college", "k-xahoi", [(40, 22), (40, 18), (40, 25)]),
    ("42140201", "Sư phạm Mầm non", "intermediate", "k-thmn", [(50, 31), (50, 28), (50, 35)]),
]
SURNAMES = ["Hoàng", "Nông", "Lộc", "Vi", "Lăng", "Triệu", "Chu", "Lý", "Hà", "Nguyễn"]
GIVEN = ["Thị Mai", "Văn Hùng", "Thị Lan", "Thị Hằng", "Văn Tuấn", "Thị Thu", "Văn Đức", "Thị Ngọc"]
LEAVE = [("withdrawn", "financial"), ("withdrawn", "employment"), ("withdrawn", "family"),
         ("expelled", "academic"), ("transferred", "study_elsewhere"), ("changed_programme", "study_elsewhere")]  # fmt: skip


def load_demo(plan: Any, loader: Any) -> None:
    sync_benchmarks(Benchmark)
    sync_warning_rules(WarningRule)
    sync_support_rules(SupportRule)
    school, units, people, by = plan.school, loader.orgs, loader.people, loader.principal
    services.set_records_office(school, units["p-hssv"], by=by)
    rng = random.Random(15)
    adviser = people.get("langthihuyen")
    for code, name, level, faculty, years in PROGRAMMES:
        programme = Programme(
            school=school, code=code, name=name, level=level, mode="full_time",
            faculty=units.get(faculty), is_sample=True, teacher_training=True,
        )  # fmt: skip
        services.save_programme(programme, by=by)
        for (quota, enrolled), year in zip(years, (2023, 2024, 2025), strict=True):
            intake = services.set_quota(programme, year, quota, by=by)
            services.record_enrolment(
                intake, counted_on=dt.date(year, 9, 30), applications=int(enrolled * 1.6),
                admitted=min(int(enrolled * 1.2), int(enrolled * 1.6)), enrolled=enrolled, by=by,
            )  # fmt: skip
            if level != "college" and year == 2025:
                continue
            cohort = services.save_cohort(
                Cohort(
                    school=school, programme=programme, code=f"{code}-K{year % 100}",
                    intake_year=year, starts_on=dt.date(year, 9, 5),
                    terms=6 if level == "college" else 4,
                    adviser=adviser if code == "51140209" and year == 2024 else None,
                ),
                by=by,
            )  # fmt: skip
            _students(cohort, min(enrolled, 40), rng, by)
    load_plan_links(plan, loader)
    load_support(school, by)
    load_headcounts(school, by)


# The training office's headcounts at the end of each semester, as its program exported them;
# one class's last count was made before a withdrawal reached the list (the page shows the gap).
COUNT_DAYS = [
    dt.date(2024, 1, 15),
    dt.date(2024, 5, 31),
    dt.date(2025, 1, 15),
    dt.date(2025, 5, 31),
]
BEHIND = ("51140201-K23", dt.date(2025, 5, 31), 1)


def load_headcounts(school: Any, by: Any) -> None:
    cohorts = list(Cohort.objects.filter(school=school, intake_year__lte=2024).order_by("code"))
    roll = figures.Roll(cohorts)
    for cohort in cohorts:
        days = [day for day in COUNT_DAYS if day > cohort.starts_on]
        for day, counts in zip(days, roll.counts_on(cohort.pk, days), strict=True):
            headcount = counts["studying"]
            note = ""
            if (cohort.code, day) == BEHIND[:2]:
                headcount += BEHIND[2]
                note = "Chưa cập nhật một trường hợp thôi học (dữ liệu mẫu)"
            count = CohortCount(
                school=school, cohort=cohort, counted_on=day, headcount=headcount, note=note
            )
            stamp(count, by, "Phòng Đào tạo báo cáo (dữ liệu mẫu)")
            count.save()


def _students(cohort: Cohort, size: int, rng: random.Random, by: Any) -> None:
    for index in range(size):
        student = services.save_student(
            Student(
                school=cohort.school, cohort=cohort,
                code=f"{cohort.code}-{index + 1:03d}",
                full_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                birth_date=dt.date(cohort.intake_year - 18, rng.randint(1, 12), rng.randint(1, 28)),
                address="Lạng Sơn (dữ liệu mẫu)", entered_on=cohort.starts_on, is_sample=True,
            ),
            by=by,
        )  # fmt: skip
        # Headcount falls through the course: most leave in the first year.
        if rng.random() < 0.18:
            kind, reason = rng.choice(LEAVE)
            months = rng.choice([2, 4, 5, 8, 11, 16, 20])
            day = cohort.starts_on + dt.timedelta(days=30 * months)
            if day <= dt.date(2025, 10, 1):
                services.record_change(student, kind=kind, happened_on=day, reason=reason, by=by)
        elif rng.random() < 0.05:
            day = cohort.starts_on + dt.timedelta(days=200)
            services.record_change(
                student, kind="suspended", happened_on=day, reason="health", by=by
            )


# Targets of the demo plan measured by the students figures: (code, measure, year).
FED_TARGETS = [("CT01", "enrolment_fill", 2023), ("CT02", "enrolled", 2024), ("CT03", "dropout_rate", 2023)]  # fmt: skip
# Term results of a few K23 students in their first semester (2023–2024, HK1) that meet a
# warning condition: (index in the cohort, term average, cumulative, registered, failed, absences)
AT_RISK = [(0, "0.62", "0.62", 18, 11, 4), (3, "0.95", "0.95", 18, 4, 26), (5, "1.10", "1.10", 18, 10, 2),
           (7, "0.70", "0.70", 16, 9, 31), (9, "2.40", "2.40", 18, 0, 3)]  # fmt: skip


def load_plan_links(plan: Any, loader: Any) -> None:
    """The demo plan's student targets fed by the figures; a semester's warnings, some followed
    up with their outcome."""
    by = loader.principal
    for code, measure, year in FED_TARGETS:
        target = plan.targets.active().filter(code=code).first()
        if target is not None:
            feeds.set_feed(target, measure=measure, year=year, by=by)
    school = plan.school
    results = []
    for cohort in Cohort.objects.filter(
        school=school, intake_year=2023, programme__level="college"
    ):
        students = list(cohort.students.order_by("code"))
        for index, term_avg, cumulative, registered, failed, absences in AT_RISK:
            if index >= len(students):
                continue
            result = TermResult(
                school=school, student=students[index], school_year=2023, semester=1,
                term_average=Decimal(term_avg), cumulative_average=Decimal(cumulative),
                credits_registered=registered, credits_failed=failed, absences=absences,
                credits_outstanding=failed, conduct_score=65,
            )  # fmt: skip
            stamp(result, by, "Dữ liệu mẫu")
            result.save()
            results.append(result)
    for key, threshold in (("absences", 20), ("fees", 0), ("conduct", 50)):
        alerts.save_rule(
            school, key=key, threshold=Decimal(threshold), valid_from=dt.date(2023, 9, 1),
            source="Quy định công tác học sinh, sinh viên của trường (dữ liệu mẫu)", by=by,
        )  # fmt: skip
    alerts.refresh_warnings(school, results, by=by)
    warnings = list(AcademicWarning.objects.filter(school=school).order_by("pk"))
    # Each follow-up serves the school's task of keeping student numbers through the course.
    serves = (
        plan.tasks.active()
        .school_level()
        .filter(title__startswith="Theo dõi sĩ số hằng tháng")
        .first()
    )
    for number, warning in enumerate(warnings[:3]):
        # Followed through the second term, to its end.
        alerts.follow_up(warning, plan=plan, due=dt.date(2024, 6, 30), serves=serves, by=by)
        if number < 2:
            alerts.record_outcome(
                warning,
                outcome="Đã gặp người học và gia đình; lập kế hoạch học lại, cố vấn theo dõi hằng tháng.",
                on=dt.date(2024, 3, 5),
                by=by,
            )


# Students on the teacher-training support (NĐ 116/2020/NĐ-CP): (cohort, how many of its students
# still studying, from its first), with the amounts the school records (sample figures).
SUPPORTED = [("51140209-K24", 4), ("51140201-K25", 2)]


def load_support(school: Any, by: Any) -> None:
    """A handful of supported students in the pedagogy programmes; one of them leaves in March
    2025 and goes onto the repayment list; the school's own rule on transfers; the report on
    2024–2025."""
    support.save_school_rule(
        school, name="Chuyển trường: thôi chi trả, đưa vào danh sách để xác minh với trường mới",
        triggers=["transferred"], valid_from=dt.date(2023, 9, 1),
        source="Quy chế chi tiêu nội bộ của trường (dữ liệu mẫu)", by=by,
    )  # fmt: skip
    marked = []
    for code, count in SUPPORTED:
        cohort = Cohort.objects.filter(school=school, code=code).first()
        if cohort is None:
            continue
        students = cohort.students.filter(status="studying").order_by("code")[:count]
        for student in students:
            marked.append(
                support.mark_supported(
                    student, starts_on=student.entered_on, commitment_on=student.entered_on,
                    commitment="Đơn đề nghị hưởng chính sách và cam kết bồi hoàn",
                    funding="assigned", tuition_per_month=Decimal("1250000"),
                    living_per_month=Decimal("3630000"), note="Dữ liệu mẫu", by=by,
                )
            )  # fmt: skip
    if marked:
        services.record_change(
            marked[0].student, kind="withdrawn", happened_on=dt.date(2025, 3, 10),
            reason="financial", note="Xin thôi học (dữ liệu mẫu)", by=by,
        )  # fmt: skip
    support.save_report(school, school_year=2024, dated=dt.date(2025, 9, 5), by=by)
