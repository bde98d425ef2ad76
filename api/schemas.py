"""What the API returns and accepts: plain schemas, dates as ISO strings (JSON's convention)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, field_validator


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


# Ids are positive 64-bit integers (the database's bigint): a larger number names no object and
# is refused as input rather than overflowing the database driver.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Free text: no NUL character (PostgreSQL refuses it in text columns).
TEXT = r"^[^\x00]*$"
# The `done` text must say something: at least one character other than white space (as
# Python's str.strip sees it, which also strips the separators \x1c–\x1f).
SAID = r"^[^\x00]*[^\x00\s\x1c-\x1f][^\x00]*$"
# The largest figure the actual value's column (14 digits, 2 after the point) holds.
MAX_ACTUAL = 999_999_999_999.99


class CheckInIn(Schema):
    unit_id: Id
    progress: int = Field(ge=0, le=100)
    done: str = Field(min_length=1, max_length=10_000, pattern=SAID)
    confidence: str = Field(pattern="^(high|medium|low)$")
    difficulties: str = Field(default="", max_length=10_000, pattern=TEXT)
    proposals: str = Field(default="", max_length=10_000, pattern=TEXT)
    # Any number within the column's range, as the schema says; rounded to 2 decimal places when
    # stored (api.api._two_places), so the validation accepts every value the schema allows.
    actual_value: float | None = Field(
        default=None,
        ge=-MAX_ACTUAL,
        le=MAX_ACTUAL,
        allow_inf_nan=False,
        description="Làm tròn đến 2 chữ số thập phân khi lưu.",
    )
    version: int | None = Field(default=None, ge=0, le=MAX_ID)
    consolidate: list[Id] = Field(default=[], max_length=100)


class CheckInForm(CheckInIn):
    """The same fields as multipart form data, which has no null: an empty value or the word
    `null` stands for it (what a client generated from the schema sends for a null)."""

    @field_validator("actual_value", "version", mode="before")
    @classmethod
    def _form_null(cls, value: Any) -> Any:
        return None if value in ("", "null") else value


class DocumentOut(Schema):
    id: int
    symbol: str
    doc_type: str | None
    issued_on: dt.date | None
    issuer_name: str
    summary: str
    version: int = Field(description="Phiên bản của bản ghi, tăng sau mỗi lần lưu")


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every error the API answers (400, 401, 403, 404, 409, 422, 429): a Vietnamese message,
    and for 422 the fields at fault."""

    detail: str
    errors: list[FieldErrorOut] = Field(default_factory=list)
