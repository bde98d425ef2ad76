"""What the API returns and accepts: plain schemas, dates as ISO strings (JSON's convention)."""

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None


class PlanOut(Schema):
    id: int
    title: str
    start_year: int
    year_label: str
    status: str
    issued_on: dt.date | None


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


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    url: str


class CheckInOut(Schema):
    id: int
    task_id: int
    unit_id: int
    role: str
    reported_on: dt.date
    progress: int
    actual_value: Decimal | None
    done: str
    difficulties: str
    proposals: str
    confidence: str
    on_time: bool
    consolidated_into_id: int | None
    evidence: list[EvidenceOut]


class CheckInIn(Schema):
    unit_id: int
    progress: int = Field(ge=0, le=100)
    done: str = Field(min_length=1, max_length=10_000)
    confidence: str = Field(pattern="^(high|medium|low)$")
    difficulties: str = Field(default="", max_length=10_000)
    proposals: str = Field(default="", max_length=10_000)
    actual_value: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    version: int | None = None
    consolidate: list[int] = []


class DocumentOut(Schema):
    id: int
    symbol: str
    doc_type: str | None
    issued_on: dt.date | None
    issuer_name: str
    summary: str


class ErrorOut(Schema):
    detail: str
