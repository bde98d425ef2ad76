"""Check-ins (all or nothing), extensions, derived progress and optimistic concurrency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from conftest import World
from planning.models import Plan, PlanStatus, ProgressMode, Task
from planning.status import RunState
from tracking import services
from tracking.models import CheckIn, Evidence, Extension, TargetReading
from tracking.tests.helpers import DAY, PDF, PNG, checkin, data


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_checkin_moves_progress_and_keeps_evidence(world: World) -> None:
    result = checkin(
        world, files=[services.Upload("Biên bản họp.pdf", PDF), services.Upload("ảnh.png", PNG)]
    )
    world.task.refresh_from_db()
    assert world.task.progress == 40
    assert result.role == "lead"
    evidence = list(result.evidence.all())
    assert [e.original_name for e in evidence] == ["Biên bản họp.pdf", "ảnh.png"]
    assert evidence[0].content_type == "application/pdf"
    # Stored under a name that says nothing of the original and cannot be guessed.
    assert "Biên" not in evidence[0].file.name and evidence[0].file.name.startswith("evidence/")
    assert len(evidence[0].file.name) > 40


def test_full_progress_completes_the_task(world: World) -> None:
    checkin(world, progress=100, on=dt.date(2024, 5, 20))
    world.task.refresh_from_db()
    assert world.task.completed_on == dt.date(2024, 5, 20)


def test_actual_value_goes_to_the_target_and_its_history(world: World) -> None:
    checkin(world, actual_value=Decimal("87.5"), on=dt.date(2024, 1, 10))
    checkin(world, actual_value=Decimal("91"), on=dt.date(2024, 4, 10))
    world.target.refresh_from_db()
    assert world.target.actual_value == Decimal("91")
    assert list(TargetReading.objects.values_list("value", flat=True)) == [
        Decimal("87.5"),
        Decimal("91"),
    ]


def test_file_disguised_as_pdf_is_refused_and_nothing_is_saved(world: World) -> None:
    before = stored_files()
    with pytest.raises(services.TrackingError, match="không phải PDF"):
        checkin(
            world,
            files=[services.Upload("ok.pdf", PDF), services.Upload("virus.pdf", b"MZ\x90\x00exe")],
        )
    assert CheckIn.objects.count() == 0
    assert stored_files() == before


def test_extension_must_match_content(world: World) -> None:
    with pytest.raises(services.TrackingError, match="không khớp"):
        checkin(world, files=[services.Upload("bang-tinh.xlsx", PDF)])


def test_failure_after_files_are_stored_removes_them(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = stored_files()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full half-way")

    calls = {"n": 0}
    original = Evidence.save

    def second_fails(self: Evidence, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            broken()
        original(self, *args, **kwargs)

    monkeypatch.setattr(Evidence, "save", second_fails)
    with pytest.raises(RuntimeError):
        checkin(world, files=[services.Upload("a.pdf", PDF), services.Upload("b.pdf", PDF)])
    assert CheckIn.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert stored_files() == before
    world.task.refresh_from_db()
    assert world.task.progress == 0


def test_empty_report_and_bad_progress_are_refused(world: World) -> None:
    with pytest.raises(services.TrackingError, match="Cần ghi"):
        checkin(world, done="   ")
    with pytest.raises(services.TrackingError, match="0 đến 100"):
        checkin(world, progress=120)
    assert CheckIn.objects.count() == 0


def test_script_in_text_is_kept_as_text(world: World) -> None:
    result = checkin(world, done="<script>alert(1)</script> Đã làm")
    response = world.client("leadership").get(f"/plans/tasks/{world.task.pk}/")
    assert result.done.startswith("<script>")
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_second_writer_with_an_old_version_is_told(world: World) -> None:
    version = world.task.version
    checkin(world, expected_version=version, progress=30)
    stale = Task.objects.get(pk=world.task.pk)
    stale.version = version
    with pytest.raises(services.StaleTask) as error:
        services.submit_checkin(
            stale, by=world.users["leadership"], unit=world.faculty, data=data(progress=50),
            on=DAY, expected_version=version,
        )  # fmt: skip
    assert "người khác cập nhật" in str(error.value)
    assert error.value.latest is not None and error.value.latest.progress == 30
    world.task.refresh_from_db()
    assert world.task.progress == 30
    assert CheckIn.objects.count() == 1


def test_coordinating_unit_contributes_and_lead_consolidates(world: World) -> None:
    contribution = checkin(world, "unit_head", unit=world.office, progress=70)
    assert contribution.role == "coordinating"
    world.task.refresh_from_db()
    assert world.task.progress == 0  # a contribution does not move the task
    report = services.submit_checkin(
        world.task, by=world.users["staff"], unit=world.faculty, data=data(progress=55),
        on=DAY + dt.timedelta(days=2), consolidate=[contribution.pk],
    )  # fmt: skip
    contribution.refresh_from_db()
    assert contribution.consolidated_into == report


def test_unit_outside_the_task_cannot_report(world: World) -> None:
    with pytest.raises(services.TrackingError, match="không chủ trì hay phối hợp"):
        checkin(world, unit=world.group)


def test_derived_progress_never_overwrites_entered(world: World) -> None:
    by = world.users["leadership"]
    sibling = Task.objects.create(
        plan=world.plan, parent=world.task, title="Giải pháp 2", lead_unit=world.faculty,
        weight=Decimal(3),
    )  # fmt: skip
    checkin(world, progress=20)
    services.submit_checkin(sibling, by=by, unit=world.faculty, data=data(progress=100), on=DAY)
    world.task.refresh_from_db()
    # (1×0 + 3×100) / 4 = 75, kept apart from the entered 20.
    assert world.task.derived_progress == 75
    assert world.task.progress == 20
    assert world.task.effective_progress == 20
    services.update_tracking(
        world.task, by=by, progress_mode=ProgressMode.DERIVED, run_state=RunState.ACTIVE
    )
    world.task.refresh_from_db()
    assert world.task.effective_progress == 75
    assert world.task.progress == 20


def test_pausing_needs_a_reason(world: World) -> None:
    by = world.users["leadership"]
    with pytest.raises(services.TrackingError, match="lý do"):
        services.update_tracking(
            world.task, by=by, progress_mode="entered", run_state=RunState.PAUSED
        )
    task = services.update_tracking(
        world.task, by=by, progress_mode="entered", run_state=RunState.PAUSED,
        reason="Chờ hướng dẫn của Sở",
    )  # fmt: skip
    assert task.run_state == RunState.PAUSED
    assert task.history.first().history_change_reason == "Chờ hướng dẫn của Sở"


def test_extension_flow_keeps_original_and_measures_punctuality_on_it(world: World) -> None:
    leader = world.users["leadership"]
    ext = services.request_extension(
        world.task, new_due=dt.date(2024, 6, 30), reason="Chờ tuyển sinh bổ sung",
        by=world.users["staff"], on=dt.date(2024, 5, 20),
    )  # fmt: skip
    with pytest.raises(services.TrackingError, match="đang chờ"):
        services.request_extension(
            world.task, new_due=dt.date(2024, 7, 30), reason="Lần nữa",
            by=world.users["staff"], on=dt.date(2024, 5, 21),
        )  # fmt: skip
    services.decide_extension(ext, accept=True, note="Đồng ý", by=leader, on=dt.date(2024, 5, 22))
    world.task.refresh_from_db()
    assert world.task.original_due_date == dt.date(2024, 5, 31)
    assert world.task.due_date == dt.date(2024, 6, 30)
    checkin(world, progress=100, on=dt.date(2024, 6, 20))
    tasks = Task.objects.filter(pk=world.task.pk)
    on = dt.date(2024, 7, 1)
    assert tasks.status_counts(on=on)["done_on_time"] == 1  # within the current deadline
    from tracking.task_figures import headline

    figures = headline(tasks, on)
    assert figures["due"] == 1 and figures["due_on_time"] == 0  # late against the original
    # A second extension keeps the first original deadline.
    world.task.refresh_from_db()
    assert Extension.objects.filter(task=world.task).count() == 1


def test_rejected_extension_changes_nothing(world: World) -> None:
    ext = services.request_extension(
        world.task, new_due=dt.date(2024, 6, 30), reason="Lý do",
        by=world.users["staff"], on=dt.date(2024, 5, 20),
    )  # fmt: skip
    services.decide_extension(
        ext, accept=False, by=world.users["leadership"], on=dt.date(2024, 5, 22)
    )
    world.task.refresh_from_db()
    assert world.task.due_date == dt.date(2024, 5, 31)
    assert world.task.original_due_date is None
    with pytest.raises(services.TrackingError, match="đã được xem xét"):
        services.decide_extension(ext, accept=True, by=world.users["leadership"], on=DAY)


def test_extension_must_move_the_deadline_later(world: World) -> None:
    with pytest.raises(services.TrackingError, match="sau hạn hiện tại"):
        services.request_extension(
            world.task, new_due=dt.date(2024, 5, 1), reason="x", by=world.users["staff"], on=DAY
        )


def test_overdue_queryset(world: World) -> None:
    on = dt.date(2024, 6, 5)
    # A draft's deadlines are not in force yet; issued, they are.
    assert not Task.objects.overdue(on=on).exists()
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.ISSUED)
    assert list(Task.objects.overdue(on=on)) == [world.task]
    checkin(world, progress=100, on=dt.date(2024, 6, 3))
    assert not Task.objects.overdue(on=on).exists()
    assert Task.objects.with_status("done_late", on=on).get() == world.task
