"""The teaching-assignment pages speak of lecturers, hours and fairness, never of the solver; and
applying a run shows who gains and who loses hours first, and happens only when confirmed."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from workload import services, wording
from workload.models import BalanceRun, RunStatus, Section
from workload.tests.conftest import Teaching

# What the balancer calls things, in English and in the Vietnamese of a mathematician.
SOLVER_TERMS = [
    "imbalance", "preference", "objective", "solver", "deviation", "lower_bound", "bound",
    "greedy", "lp_bound", "optimal", "feasible", "infeasible", "component", "stage", "ρ", "rho",
    "mất cân đối", "cận dưới", "độ lệch", "tối ưu", "bình phương", "tham lam", "cp-sat",
]  # fmt: skip


def main_text(response: Any) -> str:
    """The visible text of the page's main area (navigation belongs to other apps)."""
    html = response.content.decode()
    start = html.find("<main")
    html = html[start:] if start >= 0 else html
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html).lower()


def assert_school_words(response: Any) -> None:
    assert response.status_code == 200
    text = main_text(response)
    found = [term for term in SOLVER_TERMS if re.search(rf"(?<!\w){re.escape(term)}", text)]
    assert not found, found


def make_run(teaching: Teaching, moves: dict[int, int], **fields: Any) -> BalanceRun:
    """A finished run whose assignment moves section index → lecturer index (others stay)."""
    instance = services.build_instance(teaching.term).to_dict()
    assignment = {f"S{s.pk}": f"L{s.assigned_to_id}" for s in teaching.sections}
    for section, lecturer in moves.items():
        assignment[f"S{teaching.sections[section].pk}"] = f"L{teaching.lecturers[lecturer].pk}"
    first = teaching.lecturers[0]
    result = {
        "status": "OPTIMAL",
        "assignment": assignment,
        "max_deviation": 0.1548,
        "lower_bound": 0.1548,
        "imbalance": 8.3,
        "seconds": 3.2,
        "explanation": {
            "code": "OK",
            "rho": 1.027,
            "most_deviating": [
                {"lecturer": f"L{first.pk}", "load": 39.0, "target": 33.0, "ratio": 1.18}
            ],
            "preferences_honoured": 3,
            "preferences_possible": 4,
            "changes": len(moves),
            "message": "Tỉ lệ tải trung bình ρ = 1,0270. Độ lệch lớn nhất …",
        },
    }
    return BalanceRun.objects.create(
        term=teaching.term,
        created_by=teaching.world.users["leadership"],
        status=fields.pop("status", RunStatus.DONE),
        instance=instance,
        result=result,
        finished_at=timezone.now(),
        **fields,
    )


def test_term_home_sections_and_year_pages_use_school_words(teaching: Teaching) -> None:
    client = teaching.world.client("leadership")
    term = teaching.term.pk
    for url in [
        reverse("workload:home"),
        reverse("workload:term_detail", args=[term]),
        reverse("workload:term_sections", args=[term]),
        reverse("workload:year_view", args=[term]),
    ]:
        assert_school_words(client.get(url))
    body = main_text(client.get(reverse("workload:term_detail", args=[term])))
    # GV001 teaches all 405 hours against 150 to teach, the others none (targets 555 in all).
    assert "dạy từ 0% đến 270% giờ phải dạy" in body
    assert "nếu chia thật đều, mỗi giảng viên dạy 73%" in body


def test_a_finished_run_is_told_in_hours_and_names(teaching: Teaching) -> None:
    run = make_run(teaching, {0: 1})
    response = teaching.world.client("leadership").get(
        reverse("workload:run_detail", args=[run.pk])
    )
    assert_school_words(response)
    body = main_text(response)
    assert "nếu chia thật đều, mỗi giảng viên dạy 102,7% số giờ phải dạy" in body
    assert "không có cách phân công nào đều hơn" in body
    # The lecturer the balancer calls "L<pk>" is named.
    assert "hoàng văn an (gv001): 39 giờ trên 33 giờ phải dạy (118%)" in body
    assert "đáp ứng 3 trên 4 lớp" in body


@pytest.mark.parametrize("stage", [*wording.STAGES, "something_new"])
def test_every_progress_stage_is_shown_in_vietnamese(teaching: Teaching, stage: str) -> None:
    run = make_run(teaching, {}, status=RunStatus.RUNNING)
    run.progress = {
        "stage": stage, "component": 2, "components": 3, "objective": 0.27, "bound": 0.25,
        "elapsed": 1.25,
    }  # fmt: skip
    run.save()
    response = teaching.world.client("leadership").get(
        reverse("workload:run_detail", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    assert_school_words(response)
    body = main_text(response)
    assert stage not in body
    assert str(wording.STAGES.get(stage, "Đang tính")).lower() in body
    assert "nhóm giảng viên 2/3" in body and "mức chung 27%" in body


def test_an_impossible_run_names_sections_and_lecturers(teaching: Teaching) -> None:
    section, lecturer = teaching.sections[0], teaching.lecturers[0]
    run = make_run(teaching, {}, status=RunStatus.INFEASIBLE)
    run.result = {
        "status": "INFEASIBLE",
        "explanation": {
            "code": "INFEASIBLE",
            "issues": [
                {
                    "kind": "locked_over_max_load",
                    "message": f"Các học phần khoá cho giảng viên L{lecturer.pk} (S{section.pk}) "
                    "vượt mức tối đa",
                }
            ],
            "message": "Không thể phân công",
        },
    }
    run.save()
    response = teaching.world.client("leadership").get(
        reverse("workload:run_detail", args=[run.pk])
    )
    assert_school_words(response)
    body = main_text(response)
    assert "hoàng văn an (gv001) (tt-01)" in body
    assert f"l{lecturer.pk}" not in body and f"s{section.pk}" not in body


def test_apply_preview_lists_who_gains_and_who_loses_hours(teaching: Teaching) -> None:
    # TT-01 (45 h) to Lò Văn Bình, TT-03 (60 h) to Hà Thị Cúc; GV001 keeps the other 300 h.
    run = make_run(teaching, {0: 1, 2: 2})
    preview = services.apply_preview(run)
    assert preview.can_apply and preview.changed_sections == 2 and preview.total_sections == 10
    assert [(c.lecturer.code, c.before, c.after, c.gained) for c in preview.gains] == [
        ("GV003", Decimal(0), Decimal(60), ["TT-03"]),
        ("GV002", Decimal(0), Decimal(45), ["TT-01"]),
    ]
    assert [(c.lecturer.code, c.before, c.after, c.lost) for c in preview.losses] == [
        ("GV001", Decimal(405), Decimal(300), ["TT-01", "TT-03"])
    ]
    response = teaching.world.client("leadership").get(reverse("workload:run_apply", args=[run.pk]))
    assert_school_words(response)
    body = main_text(response)
    assert "2 trên 10 lớp học phần đổi giảng viên" in body
    assert "2 giảng viên thêm giờ, 1 giảng viên bớt giờ" in body
    assert "áp dụng không chốt thêm lớp nào" in body and "hoàn tác được" in body
    gains = body[body.find("thêm giờ ") : body.find("bớt giờ ")]
    assert "hà thị cúc" in gains and "+60" in gains and "hoàng văn an" not in gains
    assert "-105" in body[body.find("bớt giờ ") :]


def test_apply_preview_puts_the_confirmation_above_the_lists_and_keeps_codes_whole(
    teaching: Teaching,
) -> None:
    run = make_run(teaching, {0: 1, 2: 2})
    response = teaching.world.client("leadership").get(reverse("workload:run_apply", args=[run.pk]))
    page = response.content.decode()
    # A phone reaches the decision without scrolling through both lists; it is repeated after.
    assert page.index('id="apply-counts"') < page.index('id="confirm-apply"')
    assert page.index('id="confirm-apply"') < page.index('id="apply-gains"')
    assert page.index('id="apply-losses"') < page.index('id="confirm-apply-end"')
    # Each section code is kept on one line (they broke at every hyphen on a phone), and each
    # figure names its column for the phone's stacked layout.
    assert '<span class="text-nowrap">TT-03</span>' in page
    assert 'data-label="Sau khi áp dụng"' in page


def test_nothing_is_applied_without_confirmation(teaching: Teaching) -> None:
    run = make_run(teaching, {0: 1})
    url = reverse("workload:run_apply", args=[run.pk])
    client = teaching.world.client("leadership")
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    run.refresh_from_db()
    assert run.applied_at is None
    assert Section.objects.get(pk=teaching.sections[0].pk).assigned_to == teaching.lecturers[0]
    response = client.post(url, {"confirm": "1"})
    assert response["Location"] == reverse("workload:term_detail", args=[teaching.term.pk])
    assert Section.objects.get(pk=teaching.sections[0].pk).assigned_to == teaching.lecturers[1]
    run.refresh_from_db()
    assert run.applied_at is not None
    # Applied once: the preview now says so and offers no confirmation.
    again = client.get(url).content.decode()
    assert "đã được áp dụng" in again and 'id="confirm-apply"' not in again


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("outsider", 404), ("staff", 403), ("unit_head", 403)],
)
def test_only_who_manages_the_term_sees_or_applies_the_preview(
    teaching: Teaching, role: str, status: int
) -> None:
    run = make_run(teaching, {0: 1})
    url = reverse("workload:run_apply", args=[run.pk])
    client = teaching.world.client(role)
    assert client.get(url).status_code == status
    assert client.post(url, {"confirm": "1"}).status_code == status
    assert Section.objects.get(pk=teaching.sections[0].pk).assigned_to == teaching.lecturers[0]


def test_a_lock_set_after_the_run_is_a_problem_shown_first_and_blocks_applying(
    teaching: Teaching,
) -> None:
    run = make_run(teaching, {0: 1})
    services.lock_section(
        teaching.sections[0], teaching.lecturers[2], by=teaching.world.users["leadership"]
    )
    preview = services.apply_preview(run)
    assert not preview.can_apply
    assert any("TT-01" in problem and "Hà Thị Cúc" in problem for problem in preview.blocking)
    client = teaching.world.client("leadership")
    page = client.get(reverse("workload:run_apply", args=[run.pk])).content.decode()
    assert 'id="apply-blocking"' in page and 'id="confirm-apply"' not in page
    assert page.index('id="apply-blocking"') < page.index('id="apply-counts"')
    client.post(reverse("workload:run_apply", args=[run.pk]), {"confirm": "1"})
    assert Section.objects.get(pk=teaching.sections[0].pk).assigned_to == teaching.lecturers[2]
    with pytest.raises(services.WorkloadError, match="chốt"):
        services.apply_run(run, by=teaching.world.users["leadership"])


def test_changed_hours_and_overload_are_warnings_on_the_preview(teaching: Teaching) -> None:
    run = make_run(teaching, {})
    section = teaching.sections[1]
    section.units = Decimal(50)
    services.save_section(section, by=teaching.world.users["leadership"])
    preview = services.apply_preview(run)
    assert preview.can_apply
    text = " ".join(preview.warnings)
    assert "TT-02" in text and "45 → 50" in text
    assert "Hoàng Văn An sẽ dạy" in text  # 410 h, far above their maximum


def test_applying_can_be_undone_and_says_how(teaching: Teaching) -> None:
    run = make_run(teaching, {0: 1, 2: 2})
    client = teaching.world.client("leadership")
    client.post(reverse("workload:run_apply", args=[run.pk]), {"confirm": "1"})
    # After applying, TT-03 is given to someone else by hand: undoing leaves it alone.
    services.lock_section(
        teaching.sections[2], teaching.lecturers[3], by=teaching.world.users["leadership"]
    )
    page = client.get(reverse("workload:run_detail", args=[run.pk])).content.decode()
    assert 'id="undo-apply"' in page and "2 lớp trở lại giảng viên trước đó" in page
    undo = reverse("workload:run_undo", args=[run.pk])
    assert teaching.world.client("unit_head").post(undo, {"confirm": "1"}).status_code == 403
    client.post(undo)  # not confirmed: nothing happens
    assert Section.objects.get(pk=teaching.sections[0].pk).assigned_to == teaching.lecturers[1]
    response = client.post(undo, {"confirm": "1"}, follow=True)
    assert "1 lớp học phần trở lại giảng viên trước đó" in response.content.decode()
    assert "TT-03" in response.content.decode()
    assert Section.objects.get(pk=teaching.sections[0].pk).assigned_to == teaching.lecturers[0]
    assert Section.objects.get(pk=teaching.sections[2].pk).assigned_to == teaching.lecturers[3]
    run.refresh_from_db()
    assert run.applied_at is None and run.replaced == {}
    with pytest.raises(services.WorkloadError, match="chưa được áp dụng"):
        services.undo_apply(run, by=teaching.world.users["leadership"])
