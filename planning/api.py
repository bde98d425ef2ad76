"""Plans, targets and tasks in the JSON API: what they look like, and the list of plans (mounted
by the `api` app, see core.endpoints). The reads that need a task's status or a target's
figures are in tracking.api."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Router, Schema

from core.endpoints import FAILS, register
from core.requests import ApiRequest
from organisations.api import school_id
from planning.models import Plan


class PlanOut(Schema):
    id: int
    title: str
    start_year: int
    year_label: str
    status: str
    issued_on: dt.date | None
    # What an edit must send back (core.versioning); the API itself offers no edits yet.
    version: int


class StatusCounts(Schema):
    not_started: int
    in_progress: int
    overdue: int
    done_on_time: int
    done_late: int
    paused: int
    cancelled: int


class PlanDetailOut(PlanOut):
    theme: str
    on: dt.date
    status_counts: StatusCounts


class TargetOut(Schema):
    id: int
    plan_id: int
    code: str
    name: str
    unit_of_measure: str
    direction: str
    baseline: Decimal | None
    target_value: Decimal | None
    range_min: Decimal | None
    range_max: Decimal | None
    actual_value: Decimal | None
    actual_on: dt.date | None
    rag: str | None
    responsible_unit_id: int | None
    strategic_goal_id: int | None
    version: int


class TaskOut(Schema):
    id: int
    plan_id: int
    parent_id: int | None
    code: str
    kind: str
    title: str
    area_id: int | None
    lead_unit_id: int | None
    owner_unit_id: int | None
    person_in_charge_id: int | None
    start_date: dt.date | None
    due_date: dt.date | None
    original_due_date: dt.date | None
    completed_on: dt.date | None
    weight: Decimal
    progress: int
    progress_mode: str
    run_state: str
    status: str
    days_late: int
    target_id: int | None
    version: int


router = register("/", Router(tags=["kế hoạch"]))


@router.get("/plans", response={200: list[PlanOut], **FAILS})
def plans(request: ApiRequest) -> Any:
    return [
        {**PlanOut.from_orm(p).dict(), "year_label": p.year_label}
        for p in Plan.objects.active().filter(school_id=school_id(request))
    ]
