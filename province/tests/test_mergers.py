"""Merging a school into another (province.mergers): what moves, what stays as history, the old
school read-only afterwards, a second merger refused, an error leaving nothing half-written, a
dry run writing nothing; and moving a school under another body."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django_scopes import scope

from conftest import make_person
from core.errors import DomainError
from documents.models import Document, DocumentReceipt
from organisations import merging
from organisations.membership import compute_membership
from organisations.models import Organisation, Person, Position, Role, Succession
from planning import services as plan_services
from planning.models import Plan, Task
from planning.services import PlanLocked
from province import mergers
from province.models import ChangeKind, DirectedSchool, SchoolChange
from province.tests.conftest import Province
from students.models import ChangeKind as StudentChange
from students.models import Cohort, Programme, Status, StatusChange, Student
from tracking import services as tracking_services

DAY = dt.date(2025, 8, 27)
DECISION = mergers.Decision(
    number="1234",
    issuer_code="UBND",
    issued_on=dt.date(2025, 8, 20),
    issuer_name="Chủ tịch Ủy ban nhân dân tỉnh Mẫu",
    summary="Về việc sáp nhập Trường Cao đẳng Mẫu vào Trường Cao đẳng Thứ Hai",
)


def _students(province: Province) -> tuple[Cohort, list[Student]]:
    world = province.world
    programme = Programme.objects.create(
        school=world.school,
        code="51140201",
        name="Giáo dục Mầm non",
        level="college",
        mode="full_time",
        faculty=world.faculty,
        teacher_training=True,
    )
    cohort = Cohort.objects.create(
        school=world.school,
        programme=programme,
        code="CĐMN24A",
        intake_year=2024,
        starts_on=dt.date(2024, 9, 5),
        adviser=world.people["staff"],
    )
    students = [
        Student.objects.create(
            school=world.school,
            cohort=cohort,
            code=f"SV0{n}",
            full_name=name,
            birth_date=dt.date(2006, 1, n),
            gender=gender,
            entered_on=dt.date(2024, 9, 5),
        )
        for n, (name, gender) in enumerate(
            [("Hoàng Thị Mai", "female"), ("Lý Văn Nam", "male"), ("Vi Thị Hoa", "female")],
            start=1,
        )
    ]
    # One left before the merger: not moved.
    StatusChange.objects.create(
        student=students[2], kind="withdrawn", happened_on=dt.date(2025, 3, 1), reason="family"
    )
    students[2].status = Status.WITHDRAWN
    students[2].save()
    return cohort, students


def _merge(province: Province, **kwargs: Any) -> mergers.Outcome:
    options: dict[str, Any] = {
        "into": province.college,
        "decision": DECISION,
        "effective_on": DAY,
        "body": province.sgd,
        "by": province.users["officer"],
    }
    options.update(kwargs)
    return mergers.merge_school(province.world.school, **options)


@pytest.fixture
def new_board(province: Province) -> dict[str, Any]:
    """The absorbing college's leadership and an office of the same name as the old one's."""
    office = Organisation.objects.create(
        name="Phòng Đào tạo", kind="office", parent=province.college, code="p-dt"
    )
    person, user = make_person(
        province.college, province.college, "Lương Văn Tân", "new_leader", "Hiệu trưởng",
        Role.LEADERSHIP,
    )  # fmt: skip
    return {"office": office, "person": person, "user": user}


def test_preview_counts_what_would_move(province: Province) -> None:
    _students(province)
    lines = {line.key: line.count for line in mergers.preview(province.world.school, DAY)}
    # task, subtask, unit task open; leadership, unit head, staff, clerk hold positions;
    # two students still studying; board, office, faculty, group.
    assert lines == {"staff": 4, "tasks": 3, "students": 2, "units": 4}


def test_merger_moves_tasks_staff_and_students_and_keeps_history(
    province: Province, new_board: dict[str, Any]
) -> None:
    world = province.world
    _cohort, students = _students(province)
    outcome = _merge(province)

    assert outcome.moved == {"staff": 4, "tasks": 3, "students": 2, "units_created": 3}
    change = SchoolChange.objects.get(school=world.school)
    assert change.kind == ChangeKind.MERGER and change.successor == province.college
    # The decision: registered in the Sở's register, sent to both schools.
    decision = change.decision
    assert decision.school == province.sgd and decision.symbol == "1234/QĐ-UBND"
    assert set(
        DocumentReceipt.objects.filter(document=decision).values_list("school", flat=True)
    ) == {
        world.school.pk,
        province.college.pk,
    }
    succession = Succession.objects.get(predecessor=world.school)
    assert succession.decision_symbol == "1234/QĐ-UBND" and succession.carried_out_at
    world.school.refresh_from_db()
    assert world.school.valid_to == dt.date(2025, 8, 26)

    # Units: the office of the same name is reused, the others created under their matches.
    assert change.unit_map[str(world.office.pk)] == new_board["office"].pk
    new_group = Organisation.objects.get(pk=change.unit_map[str(world.group.pk)])
    assert new_group.name == "Tổ Toán" and new_group.school_id == province.college.pk
    assert new_group.parent_id == change.unit_map[str(world.faculty.pk)]

    # Staff: old positions end on the last day, new ones start on the merger's day.
    staff_old = world.people["staff"]
    old_position = Position.objects.get(person=staff_old)
    assert old_position.valid_to == dt.date(2025, 8, 26)
    staff_new = Person.objects.get(user=world.users["staff"], school=province.college)
    new_position = Position.objects.get(person=staff_new)
    assert (new_position.organisation, new_position.valid_from) == (new_group, DAY)
    assert new_position.title == "Giảng viên"
    assert old_position.history.latest().history_change_reason.startswith("Sáp nhập")

    # Tasks: copied into a draft plan of 2025–2026 of the new school, linked to their origin.
    plan = Plan.objects.get(school=province.college)
    assert plan.start_year == 2025 and not plan.is_issued
    copy = Task.objects.get(plan=plan, carried_from=world.task)
    assert copy.lead_unit_id == change.unit_map[str(world.faculty.pk)]
    assert copy.person_in_charge == staff_new
    assert copy.due_date == world.task.due_date
    assert [c.unit_id for c in copy.coordinations.all()] == [new_board["office"].pk]
    assert copy.basis_links.get().document == world.document
    assert DocumentReceipt.objects.filter(document=world.document, school=province.college).exists()
    sub = Task.objects.get(carried_from=world.subtask)
    assert sub.parent == copy
    unit_copy = Task.objects.get(carried_from=world.unit_task)
    assert unit_copy.owner_unit == new_board["office"] and unit_copy.serves == copy
    # The old tasks are untouched, in the old plan.
    world.task.refresh_from_db()
    assert world.task.plan == world.plan and world.task.lead_unit == world.faculty

    # Students: moved into a copy of their cohort; the old records closed, not dropouts.
    moved = Student.objects.filter(school=province.college).order_by("code")
    assert [s.code for s in moved] == ["SV01", "SV02"]
    # What the dormitory checks a room against comes along.
    assert [s.gender for s in moved] == ["female", "male"]
    new_cohort = moved[0].cohort
    assert new_cohort.code == "CĐMN24A" and new_cohort.adviser == staff_new
    assert new_cohort.programme.school == province.college
    students[0].refresh_from_db()
    assert students[0].status == Status.MERGED and students[0].school == world.school
    assert students[0].changes.get().kind == StudentChange.MERGED
    students[2].refresh_from_db()
    assert students[2].status == Status.WITHDRAWN  # left before: stays

    # The Sở directs the new college only.
    assert not DirectedSchool.objects.active().filter(school=world.school).exists()
    assert DirectedSchool.objects.active().filter(school=province.college).exists()


def test_old_school_is_read_only_after(province: Province) -> None:
    world = province.world
    _merge(province)
    by = world.users["leadership"]
    with pytest.raises(PlanLocked, match="đã sáp nhập vào Trường Cao đẳng Thứ Hai"):
        plan_services.create_plan(school=world.school, start_year=2025, title="Mới", by=by)
    with pytest.raises(PlanLocked, match="Quyết định số 1234/QĐ-UBND ngày 20/08/2025"):
        plan_services.save_plan_object(Task(plan=world.plan, title="Mới"), by=by)
    world.task.title = "Đổi tên"
    with pytest.raises(PlanLocked):
        plan_services.save_plan_object(world.task, by=by)
    with pytest.raises(PlanLocked):
        tracking_services.update_tracking(
            world.task, by=by, progress_mode="entered", run_state="paused", reason="x"
        )
    # The new school works as usual on the carried tasks.
    copy = Task.objects.get(carried_from=world.task)
    copy.title = "Tuyển sinh năm học mới"
    plan_services.save_plan_object(copy, by=by)


def test_a_second_merger_of_the_same_school_is_refused(province: Province) -> None:
    _merge(province)
    before = Task.objects.count(), Person.objects.count(), Student.objects.count()
    with pytest.raises(mergers.MergerError, match="lần thứ hai"):
        _merge(province)
    with pytest.raises(mergers.MergerError, match="lần thứ hai"):
        _merge(province, into=province.world.other_school)
    assert (Task.objects.count(), Person.objects.count(), Student.objects.count()) == before


def test_an_error_half_way_leaves_nothing_written(
    province: Province, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = province.world
    _students(province)
    counts = {
        model: model.objects.count()
        for model in (Task, Person, Position, Student, Organisation, Document, Succession, Plan)
    }

    def broken(handover: merging.Handover) -> int:
        raise mergers.MergerError("Lỗi giữa chừng")

    step = next(s for s in merging.steps() if s.key == "students")
    monkeypatch.setitem(merging._STEPS, "students", merging.Step(
        key=step.key, label=step.label, order=step.order, count=step.count, move=broken
    ))  # fmt: skip
    with pytest.raises(mergers.MergerError, match="Lỗi giữa chừng"):
        _merge(province)
    assert {model: model.objects.count() for model in counts} == counts
    assert merging.absorbed_by(world.school.pk) is None
    assert Position.objects.get(person=world.people["staff"]).valid_to is None
    assert not SchoolChange.objects.exists()


def test_dry_run_shows_what_moves_and_writes_nothing(province: Province) -> None:
    _students(province)
    tasks, people = Task.objects.count(), Person.objects.count()
    outcome = _merge(province, dry_run=True)
    assert outcome.dry_run and outcome.change is None
    assert outcome.moved["tasks"] == 3 and outcome.moved["students"] == 2
    assert (Task.objects.count(), Person.objects.count()) == (tasks, people)
    assert merging.absorbed_by(province.world.school.pk) is None


def test_merging_into_a_new_school_creates_it(province: Province) -> None:
    outcome = _merge(
        province,
        into=None,
        new_school=mergers.NewSchool(name="Trường Cao đẳng Hợp nhất", short_name="CĐ Hợp nhất"),
    )
    new = Organisation.objects.get(name="Trường Cao đẳng Hợp nhất")
    assert new.kind == "school" and new.valid_from == DAY
    assert outcome.moved["units_created"] == 4
    assert Plan.objects.filter(school=new).exists()


def test_refusals(province: Province) -> None:
    world = province.world
    with pytest.raises(mergers.MergerError, match="chính nó"):
        _merge(province, into=world.school)
    with pytest.raises(mergers.MergerError, match="danh sách trường"):
        mergers.merge_school(
            world.school, into=province.college, decision=DECISION, effective_on=DAY,
            body=Organisation.objects.create(name="Sở Khác", kind="department"),
            by=province.users["officer"],
        )  # fmt: skip
    with pytest.raises(mergers.MergerError, match="số và ký hiệu"):
        _merge(province, decision=mergers.Decision(number="", issuer_code="", issued_on=DAY))
    with pytest.raises(DomainError, match="Đơn vị nhận"):
        _merge(province, unit_map={world.office.pk: world.other_school.pk})
    assert merging.absorbed_by(world.school.pk) is None


def test_the_new_leadership_reads_the_old_school_and_staff_work_in_the_new(
    province: Province, new_board: dict[str, Any]
) -> None:
    world = province.world
    _merge(province)
    # Former staff: they work in the new school by default, and keep their old record.
    staff = compute_membership(world.users["staff"])
    assert staff.school_id == province.college.pk and not staff.is_absorbed
    old = compute_membership(world.users["staff"], world.school.pk)
    assert old.school_id == world.school.pk and old.is_absorbed and not old.is_leadership
    # The former principal holds no leadership in the old school any more.
    assert not compute_membership(world.users["leadership"], world.school.pk).is_leadership
    # The new school's principal may open the old school, read-only.
    reader = compute_membership(new_board["user"], world.school.pk)
    assert reader.school_id == world.school.pk and reader.reads_history
    assert not reader.is_leadership and reader.person is None
    # Someone else may not.
    assert compute_membership(world.users["outsider"], world.school.pk).school_id != world.school.pk


def test_moving_a_school_under_another_body(province: Province) -> None:
    world = province.world
    ubnd = Organisation.objects.create(name="UBND tỉnh Mẫu", kind="peoples_committee")
    change = mergers.move_school(
        world.school, new_parent=ubnd, decision=DECISION, effective_on=DAY,
        body=province.sgd, by=province.users["officer"],
    )  # fmt: skip
    world.school.refresh_from_db()
    assert world.school.parent == ubnd and change.former_parent is not None
    assert change.kind == ChangeKind.MOVE
    assert DirectedSchool.objects.active().filter(body=ubnd, school=world.school).exists()
    assert (
        not DirectedSchool.objects.active().filter(body=province.sgd, school=world.school).exists()
    )
    # Its data did not move, and it is not read-only.
    assert merging.absorbed_by(world.school.pk) is None
    with pytest.raises(mergers.MergerError, match="đã trực thuộc"):
        mergers.move_school(
            world.school, new_parent=ubnd, decision=DECISION, effective_on=DAY,
            body=None, by=province.users["officer"],
        )  # fmt: skip


def test_scoping_after_the_merger(province: Province) -> None:
    """The new school's scope sees the copies, not the old rows; the old school's scope still
    sees its own history, and not the copies."""
    world = province.world
    _students(province)
    _merge(province)
    with scope(school=province.college.pk):
        assert set(Task.objects.values_list("carried_from", flat=True)) == {
            world.task.pk, world.subtask.pk, world.unit_task.pk,
        }  # fmt: skip
        assert not Task.objects.filter(plan__school=world.school).exists()
        assert Student.objects.count() == 2
        # The decision, and the document the carried task cites, are in its register.
        assert (
            Document.objects.in_register_of(province.college.pk)
            .filter(pk=world.document.pk)
            .exists()
        )
    with scope(school=world.school.pk):
        assert set(Task.objects.values_list("pk", flat=True)) == {
            world.task.pk, world.subtask.pk, world.unit_task.pk,
        }  # fmt: skip
        assert Student.objects.count() == 3
        assert Person.objects.count() == 4


def test_a_person_working_in_both_schools_keeps_one_record_in_each(province: Province) -> None:
    world = province.world
    user = world.users["unit_head"]
    already = Person.objects.create(
        full_name="Nguyễn Thị Phương Loan", school=province.college, user=user
    )
    Position.objects.create(
        person=already, organisation=province.college, title="Giảng viên thỉnh giảng",
        role=Role.MEMBER,
    )  # fmt: skip
    _merge(province)
    records = Person.objects.filter(user=user)
    assert {p.school_id for p in records} == {world.school.pk, province.college.pk}
    titles = set(Position.objects.filter(person=already).values_list("title", flat=True))
    assert titles == {"Giảng viên thỉnh giảng", "Trưởng phòng"}


def test_the_open_tasks_carried_are_those_of_the_plan_the_school_runs(province: Province) -> None:
    """The school's issued plan, not next year's draft it has started (the plan it runs, as
    everywhere: planning.queries.current_plan)."""
    from planning.models import PlanStatus

    world = province.world
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.ISSUED)
    plan_services.create_plan(
        school=world.school, start_year=2024, title="Dự thảo năm sau", by=world.users["leadership"]
    )
    lines = {line.key: line.count for line in mergers.preview(world.school, DAY)}
    assert lines["tasks"] == 3


def test_both_schools_students_pages_read_the_merger(
    province: Province, django_capture_on_commit_callbacks: Any
) -> None:
    """The students pages keep their figures per version of a school's students data: the old
    school's students now show as moved, the new school's as arrived."""
    from students import versions

    _students(province)
    schools = (province.world.school.pk, province.college.pk)
    before = {school: versions.current(school) for school in schools}
    with django_capture_on_commit_callbacks(execute=True):
        _merge(province)
    assert all(versions.current(school) != before[school] for school in schools)
