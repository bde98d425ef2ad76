"""The dashboards' figures, and their cache that any committed change of the plan invalidates."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from conftest import World, commit
from planning.models import Plan, PlanStatus, Task
from planning.progress import refresh_derived_progress
from tracking import services, task_figures
from tracking.tests.helpers import checkin

ON = "?on=10/06/2024"


def cell(body: str, key: str) -> int:
    marker = f'data-cell="{key}">'
    start = body.index(marker)
    count_at = body.index("tt-cell-count", start)
    text = body[body.index(">", count_at) + 1 : body.index("</span>", count_at)]
    return int(text)


def test_matrix_counts_and_links(world: World) -> None:
    # Deadlines count once the plan is issued (a draft's tasks are never overdue).
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.ISSUED)
    url = reverse("tracking:dashboard", args=[world.plan.pk]) + ON
    body = world.client("leadership").get(url).content.decode()
    # On 10/06/2024 the main task (due 31/05) is overdue; the two others have no deadline.
    assert cell(body, "open_overdue") == 1
    assert cell(body, "open_in_time") == 2
    assert f"{reverse('tracking:task_list', args=[world.plan.pk])}?cell=open_overdue" in body


def test_a_checkin_shows_at_once_despite_the_cache(settled: World) -> None:
    world = settled
    url = reverse("tracking:dashboard", args=[world.plan.pk]) + ON
    client = world.client("leadership")
    assert cell(client.get(url).content.decode(), "done_late") == 0
    services.request_extension(
        world.task, new_due=dt.date(2024, 6, 20), reason="Chờ số liệu tuyển sinh bổ sung",
        by=world.users["staff"], on=dt.date(2024, 5, 25),
    )  # fmt: skip
    commit()
    assert "Chờ số liệu" not in client.get(url).content.decode()  # the reason is on the task page
    assert (
        world.task.code in client.get(url).content.decode().split("Đề nghị gia hạn chờ xem xét")[1]
    )
    checkin(world, progress=100, on=dt.date(2024, 6, 5))
    commit()
    assert cell(client.get(url).content.decode(), "done_late") == 1


def test_derived_progress_bumps_the_figures_version(settled: World) -> None:
    """Derived progress is written by update(), which sends no signal: the service bumps the
    plan's figures version itself, once committed."""
    world = settled
    before = Plan.objects.get(pk=world.plan.pk).figures_version
    Task.objects.filter(pk=world.subtask.pk).update(progress=37)
    refresh_derived_progress(world.task.pk)
    assert commit() == 1
    assert Plan.objects.get(pk=world.plan.pk).figures_version == before + 1


def test_unit_dashboard_counts_only_the_unit(world: World) -> None:
    url = reverse("tracking:unit_dashboard", args=[world.plan.pk, world.office.pk]) + ON
    body = world.client("unit_head").get(url).content.decode()
    assert "Phòng Đào tạo" in body
    assert cell(body, "open_in_time") == 1  # only the office's own task
    assert cell(body, "open_overdue") == 0


def test_unit_head_lands_on_the_unit_version(world: World) -> None:
    response = world.client("unit_head").get(reverse("tracking:home"))
    assert response["Location"] == reverse(
        "tracking:unit_dashboard", args=[world.plan.pk, world.office.pk]
    )
    response = world.client("leadership").get(reverse("tracking:home"))
    assert response["Location"] == reverse("tracking:dashboard", args=[world.plan.pk])


def test_figures_from_one_grouped_query_match_direct_counts(world: World) -> None:
    from django.db.models.functions import Coalesce

    from tracking.tests.test_query_counts import DAY, grow

    grow(world, 3)
    tasks = task_figures.scope(world.plan)
    rows = task_figures.task_rows(tasks, DAY)
    assert task_figures.counts_of(rows) == tasks.status_counts(on=DAY)
    for by in ("area_id", "lead_unit_id"):
        for row in task_figures.breakdown_of(rows, by, {}):
            assert row.counts == tasks.filter(**{by: row.pk}).status_counts(on=DAY), (by, row.pk)
    due = (
        tasks.filter(run_state="active")
        .annotate(baseline=Coalesce("original_due_date", "due_date"))
        .filter(baseline__lte=DAY)
    )
    head = task_figures.headline_of(rows)
    assert head["due"] == due.count() > 0
    assert head["due_on_time"] == sum(
        1 for t in due if t.completed_on and t.completed_on <= t.baseline
    )
    assert (
        head["extended"]
        == tasks.filter(run_state="active", original_due_date__isnull=False).count()
    )
    for entry in task_figures.punctuality(world.plan, tasks, DAY, rows):
        mine = due.filter(lead_unit=entry.unit)
        assert entry.tasks_due == mine.count()
        assert entry.tasks_on_time == sum(
            1 for t in mine if t.completed_on and t.completed_on <= t.baseline
        )


def test_the_task_list_rows_show_each_tasks_state_and_escape_its_text(world: World) -> None:
    """The list's rows are built in Python (tracking/rows.py): every column is there, the text a
    user typed is escaped, a task without a person or lead unit shows a dash."""
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.ISSUED)
    Task.objects.filter(pk=world.task.pk).update(
        title='<img src=x onerror="alert(1)"> Tuyển sinh', original_due_date=dt.date(2024, 4, 30)
    )
    Task.objects.filter(pk=world.subtask.pk).update(lead_unit=None, person_in_charge=None)
    url = reverse("tracking:task_list", args=[world.plan.pk]) + "?on=10/06/2024"
    body = world.client("leadership").get(url).content.decode()
    rows = body[body.index("<tbody>") : body.index("</tbody>")]
    assert "<img" not in rows and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in rows
    task_row = rows[rows.index(f'href="/plans/tasks/{world.task.pk}/"') :].split("</tr>")[0]
    assert "31/05/2024" in task_row and "(30/04/2024)" in task_row  # the deadline, the first one
    assert "Quá hạn 10 ngày" in task_row or "10 ngày" in task_row
    assert world.people["staff"].full_name in task_row and "Khoa Tự nhiên" in task_row
    subtask_row = rows[rows.index(f'href="/plans/tasks/{world.subtask.pk}/"') :].split("</tr>")[0]
    assert '<td class="d-none d-md-table-cell">—</td>' in subtask_row
    assert 'data-status="' in rows and "%" in task_row
