"""Tracking in the JSON API: a plan's day and status counts, targets with their RAG, tasks with
their status, and check-ins, read and sent (mounted by the `api` app, see core.endpoints)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import Field, field_validator

from core.clock import today
from core.endpoints import (
    FAILS_OBJECT,
    MAX_ID,
    ErrorOut,
    Id,
    LazyPage,
    ObjectId,
    Page,
    register,
)
from core.permissions import get_authorised
from core.requests import ApiRequest
from organisations.membership import subtree_ids
from organisations.models import Organisation
from planning.api import PlanDetailOut, TargetOut, TaskOut
from planning.models import Plan, Target, Task
from planning.status import TaskStatus, task_status
from tracking import services as tracking
from tracking.dashboard import default_day
from tracking.evidence import max_bytes
from tracking.models import CheckIn, Evidence
from tracking.rules import reporting_unit_ids
from tracking.target_figures import rag_of


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


# Free text: no NUL character (PostgreSQL refuses it in text columns).
TEXT = r"^[^\x00]*$"
# The `done` text must say something: at least one character other than white space. White
# space is written out rather than `\s`, which each reader of the pattern takes differently: the
# server's (Rust's regex, Unicode White_Space: with U+0085), JavaScript's and the API's testers
# (with U+FEFF, without U+0085) and Python's str.strip (also the separators U+001C–U+001F). Here
# it is all of them.
BLANK = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
SAID = rf"^[^\x00]*[^\x00{BLANK}][^\x00]*$"
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
    # stored (_two_places), so the validation accepts every value the schema allows.
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


def _plan(request: ApiRequest, plan_id: int) -> Plan:
    return get_authorised(request.auth, Plan, "planning.view_plan", pk=plan_id)


def _task(request: ApiRequest, task_id: int, perm: str | None = None) -> Task:
    return get_authorised(
        request.auth,
        Task.objects.active().select_related("plan", "lead_unit", "target"),
        "tracking.view_task",
        perm,
        pk=task_id,
    )


def task_out(task: Task, on: Any) -> dict[str, Any]:
    info = task_status(task, on)
    return {
        **{field: getattr(task, field) for field in TaskOut.model_fields if hasattr(task, field)},
        "progress": task.effective_progress,
        "status": info.status.value,
        "days_late": info.days_late,
    }


def target_out(target: Target) -> dict[str, Any]:
    rag = rag_of(target)
    return {
        **{f: getattr(target, f) for f in TargetOut.model_fields if hasattr(target, f)},
        "rag": rag.value if rag else None,
    }


def checkin_out(checkin: CheckIn) -> dict[str, Any]:
    return {
        **{f: getattr(checkin, f) for f in CheckInOut.model_fields if f != "evidence"},
        "evidence": [
            {
                "id": e.pk,
                "original_name": e.original_name,
                "content_type": e.content_type,
                "size": e.size,
                "url": reverse("tracking:evidence", args=[e.pk]),
            }
            for e in checkin.evidence.all()
        ],
    }


router = register("/", Router(tags=["kế hoạch"]))


@router.get("/plans/{plan_id}", response={200: PlanDetailOut, **FAILS_OBJECT})
def plan_detail(request: ApiRequest, plan_id: ObjectId) -> Any:
    plan = _plan(request, plan_id)
    on = default_day(plan, today())
    counts = Task.objects.active().filter(plan=plan).status_counts(on=on)
    return {
        **{f: getattr(plan, f) for f in PlanDetailOut.model_fields if hasattr(plan, f)},
        "on": on,
        "status_counts": counts,
    }


@router.get("/plans/{plan_id}/targets", response={200: list[TargetOut], **FAILS_OBJECT})
def plan_targets(request: ApiRequest, plan_id: ObjectId) -> Any:
    plan = _plan(request, plan_id)
    return [target_out(t) for t in plan.targets.active()]


@router.get("/targets/{target_id}", response={200: TargetOut, **FAILS_OBJECT})
def target_detail(request: ApiRequest, target_id: ObjectId) -> Any:
    target = get_authorised(
        request.auth,
        Target.objects.active().select_related("plan"),
        "planning.view_plan",
        pk=target_id,
    )
    return target_out(target)


class TaskFilter(Schema):
    status: TaskStatus | None = None
    unit: Id | None = None
    area: Id | None = None


@router.get("/plans/{plan_id}/tasks", response={200: list[TaskOut], **FAILS_OBJECT})
@paginate(Page)
def plan_tasks(request: ApiRequest, plan_id: ObjectId, filters: Query[TaskFilter]) -> Any:
    plan = _plan(request, plan_id)
    on = default_day(plan, today())
    tasks = (
        Task.objects.active()
        .filter(plan=plan)
        .select_related("plan")
        .order_by("due_date", "code", "pk")
    )
    if filters.status:
        tasks = tasks.with_status(filters.status, on=on)
    if filters.unit:
        ids = subtree_ids({filters.unit}, plan.school_id)
        tasks = tasks.filter(Q(lead_unit__in=ids) | Q(owner_unit__in=ids))
    if filters.area:
        tasks = tasks.filter(area_id=filters.area)
    return LazyPage(tasks, lambda task: task_out(task, on))


@router.get("/tasks/{task_id}", response={200: TaskOut, **FAILS_OBJECT})
def task_detail(request: ApiRequest, task_id: ObjectId) -> Any:
    task = _task(request, task_id)
    return task_out(task, default_day(task.plan, today()))


@router.get("/tasks/{task_id}/checkins", response={200: list[CheckInOut], **FAILS_OBJECT})
def task_checkins(request: ApiRequest, task_id: ObjectId) -> Any:
    task = _task(request, task_id)
    rows = task.checkins.prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
    ).order_by("-reported_on", "-pk")[:200]
    return [checkin_out(c) for c in rows]


# 400: a rule of the check-in refused it (an actual value for a task without a target, a bad
# evidence file, a cancelled task…); 403: not a unit that reports on this task; 409: the
# task changed since `version`; 503: the embedded database's write lock stayed taken past the wait,
# nothing was saved, send again after Retry-After (core.database_busy).
CHECKIN_RESPONSES = {
    201: CheckInOut,
    400: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    503: ErrorOut,
    **FAILS_OBJECT,
}


@router.post("/tasks/{task_id}/checkins", response=CHECKIN_RESPONSES)
def task_checkin_create(request: ApiRequest, task_id: ObjectId, payload: CheckInIn) -> Any:
    """A check-in without files (JSON); same rules as the form. With evidence files: the
    multipart endpoint `/tasks/{task_id}/checkins/upload`."""
    return _submit_checkin(request, task_id, payload, [])


@router.post("/tasks/{task_id}/checkins/upload", response=CHECKIN_RESPONSES)
def task_checkin_upload(
    request: ApiRequest,
    task_id: ObjectId,
    payload: Form[CheckInForm],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # ninja: optional upload
) -> Any:
    """A check-in with evidence files (multipart/form-data: the check-in's fields and `files`,
    repeated). Files are checked by their content as on the page (PDF, Word, Excel, images; size
    cap); one bad file refuses the whole check-in and nothing is written."""
    return _submit_checkin(request, task_id, payload, files or [])


def _submit_checkin(
    request: ApiRequest, task_id: int, payload: CheckInIn, files: list[UploadedFile]
) -> Any:
    task = _task(request, task_id, "tracking.checkin_task")
    user = request.auth
    if payload.unit_id not in reporting_unit_ids(user, task):
        raise PermissionDenied
    # Counted before any is read, as the page's form does; then one byte past the size cap: a
    # larger file is refused by its size without being read whole.
    tracking.check_file_count(len(files))
    uploads = [tracking.Upload(f.name or "", f.read(max_bytes() + 1)) for f in files]
    checkin = tracking.submit_checkin(
        task,
        by=user,
        unit=Organisation.objects.get(pk=payload.unit_id),
        data=tracking.CheckInData(
            progress=payload.progress,
            done=payload.done,
            confidence=payload.confidence,
            difficulties=payload.difficulties,
            proposals=payload.proposals,
            actual_value=_two_places(payload.actual_value),
        ),
        on=today(),
        files=uploads,
        expected_version=payload.version,
        consolidate=payload.consolidate,
    )
    return Status(201, checkin_out(checkin))


def _two_places(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
