"""Targets from the rules, the balancer's instance, runs in the background, locks, results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from notifications.models import Notification, NotificationKind
from workload import services
from workload.models import Availability, RunStatus, Section
from workload.tests.conftest import Teaching


def test_targets_follow_norms_reductions_and_availability(teaching: Teaching) -> None:
    Availability.objects.create(
        term=teaching.term, lecturer=teaching.lecturers[2], share=Decimal("0.5")
    )
    rows = {row.lecturer.code: row for row in services.lecturer_rows(teaching.term)}
    assert rows["GV001"].target.target == Decimal("150.00")
    assert rows["GV001"].target.max_load == Decimal("250.00")
    assert rows["GV003"].target.target == Decimal("75.00")
    assert rows["GV004"].target.target == Decimal("105.00")  # Trưởng khoa: 70 % of 300, halved
    assert rows["GV001"].load == Decimal(405)  # the manual plan gave everything to one lecturer


def test_missing_norm_is_explained(teaching: Teaching) -> None:
    teaching.lecturers[1].title = "Giảng viên cao cấp"
    teaching.lecturers[1].save()
    with pytest.raises(services.WorkloadError, match="Giảng viên cao cấp"):
        services.lecturer_rows(teaching.term)


def test_instance_eligibility_by_group_openings_and_lists(teaching: Teaching) -> None:
    s = teaching.sections
    s[0].excluded.add(teaching.lecturers[1])
    s[1].only_lecturers.add(teaching.lecturers[2])
    s[2].locked_to = teaching.lecturers[0]
    s[2].save()
    instance = services.build_instance(teaching.term)
    by_id = {sec.id: sec for sec in instance.sections}
    ids = {lec.code: f"L{lec.pk}" for lec in teaching.lecturers}
    assert set(by_id[f"S{s[0].pk}"].eligible) == {ids["GV001"], ids["GV003"]}
    assert by_id[f"S{s[1].pk}"].eligible == (ids["GV003"],)
    assert by_id[f"S{s[2].pk}"].locked_to == ids["GV001"]
    assert ids["GV004"] in by_id[f"S{s[9].pk}"].eligible  # opened to the faculty
    assert ids["GV004"] not in by_id[f"S{s[3].pk}"].eligible


def test_run_in_background_then_apply(
    teaching: Teaching, django_capture_on_commit_callbacks: Any
) -> None:
    by = teaching.world.users["leadership"]
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(teaching.term, by=by, time_limit=5)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.result["status"] in {"OPTIMAL", "FEASIBLE"}
    assert run.result["lower_bound"] <= run.result["max_deviation"] + 1e-9
    before = services.spread(services.lecturer_rows(teaching.term), "load")
    changed = services.apply_run(run, by=by)
    assert changed > 0
    after = services.spread(services.lecturer_rows(teaching.term), "load")
    assert after["max_deviation"] < before["max_deviation"]
    # Every section the run moved says why; which ones it moves is the solver's choice (all
    # start with the first lecturer, who may keep any of them).
    run.refresh_from_db()
    assert len(run.replaced) == changed
    for section in Section.objects.filter(pk__in=[int(pk) for pk in run.replaced]):
        assert section.history.first().history_change_reason == "Áp dụng phân công tự động"
    # The lecturers with an account who teach in the semester are told; not who applied it.
    told = Notification.objects.filter(kind=NotificationKind.ASSIGNMENT_APPLIED)
    teaches = teaching.term.sections.filter(assigned_to=teaching.lecturers[0]).exists()
    assert [n.user for n in told] == ([teaching.world.users["staff"]] if teaches else [])
    assert all(n.url == f"/workload/terms/{teaching.term.pk}/" for n in told)


def test_locked_sections_are_kept(
    teaching: Teaching, django_capture_on_commit_callbacks: Any
) -> None:
    by = teaching.world.users["leadership"]
    services.lock_section(teaching.sections[0], teaching.lecturers[0], by=by)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(teaching.term, by=by, time_limit=5)
    run.refresh_from_db()
    assert run.result["assignment"][f"S{teaching.sections[0].pk}"] == f"L{teaching.lecturers[0].pk}"


def test_infeasible_run_says_why(
    teaching: Teaching, django_capture_on_commit_callbacks: Any
) -> None:
    by = teaching.world.users["leadership"]
    teaching.sections[0].only_lecturers.add(teaching.lecturers[3])
    teaching.sections[0].excluded.add(teaching.lecturers[3])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(teaching.term, by=by, time_limit=5)
    run.refresh_from_db()
    assert run.status == RunStatus.INFEASIBLE
    messages = " ".join(issue["message"] for issue in run.result["explanation"]["issues"])
    assert "TT-01" in messages or f"S{teaching.sections[0].pk}" in messages
    with pytest.raises(services.WorkloadError):
        services.apply_run(run, by=by)


def test_one_run_at_a_time_and_sane_limits(teaching: Teaching) -> None:
    by = teaching.world.users["leadership"]
    services.start_run(teaching.term, by=by, time_limit=5)  # queued: its callback never runs here
    with pytest.raises(services.WorkloadError, match="chưa xong"):
        services.start_run(teaching.term, by=by, time_limit=5)
    with pytest.raises(services.WorkloadError):
        services.start_run(teaching.term.other or teaching.term, by=by, time_limit=10_000)


def test_stale_run_cannot_be_applied(
    teaching: Teaching, django_capture_on_commit_callbacks: Any
) -> None:
    by = teaching.world.users["leadership"]
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(teaching.term, by=by, time_limit=5)
    teaching.sections[3].archive()
    run.refresh_from_db()
    with pytest.raises(services.WorkloadError, match="chạy lại"):
        services.apply_run(run, by=by)
