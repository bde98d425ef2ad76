"""The JSON API (django-ninja): the same rules as the pages, through the same services.

Authentication by per-user token (`Authorization: Bearer tt_…`); an outsider gets 404 for
another school's objects, a member without the right 403. Every status an operation can answer
is declared in the OpenAPI schema with its body (errors: `ErrorOut`, in Vietnamese), and
api/tests/test_contract.py holds the API to it.
"""

import functools
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, NinjaAPI, Path, Query, Router, Schema, Status, UploadedFile
from ninja.errors import AuthenticationError, Throttled
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer

from api import errors
from api.schemas import (
    MAX_ID,
    CheckInForm,
    CheckInIn,
    CheckInOut,
    DocumentOut,
    ErrorOut,
    Id,
    PlanDetailOut,
    PlanOut,
    TargetOut,
    TaskOut,
    UnitOut,
)
from api.services import user_for_token
from api.throttling import BadTokenThrottle, UserThrottle
from core.clock import today
from core.permissions import get_authorised
from documents.models import Document
from organisations.membership import membership_of, subtree_ids
from organisations.models import Organisation
from organisations.scoping import membership_scope
from planning.models import Plan, Target, Task
from tracking import services as tracking
from tracking.dashboard import default_day, rag_of
from tracking.evidence import max_bytes
from tracking.models import CheckIn, Evidence
from tracking.rules import reporting_unit_ids
from tracking.status import TaskStatus, task_status


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any | None:
        # An address that keeps sending missing or wrong tokens is slowed down before its next
        # token is even looked at, so guessing is no faster with a valid one in the mix.
        throttle = BadTokenThrottle()
        if throttle.exhausted(request):
            raise Throttled(wait=throttle.wait())  # type: ignore[arg-type]
        user = super().__call__(request)
        if user is None:
            throttle.count_failure(request)
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()


def _docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    page = login_required(view)

    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and request.path.endswith("/openapi.json"):
            try:
                user = token_auth(request)
            except Throttled as exc:
                return api.on_exception(request, exc)
            if user is None:
                return api.on_exception(request, AuthenticationError())
            return view(request, *args, **kwargs)
        return page(request, *args, **kwargs)

    return guarded


api = NinjaAPI(
    title="Trọng Tâm API",
    version="1",
    description=_(
        "Kế hoạch, chỉ tiêu, nhiệm vụ, báo cáo tiến độ, văn bản và đơn vị của trường. "
        "Xác thực bằng khóa API: `Authorization: Bearer tt_…` (tạo tại /api/tokens/)."
    ),
    auth=token_auth,
    throttle=[UserThrottle()],
    # The docs page only for signed-in users; the schema (same decorator) also for a token holder
    # (see _docs_access): a generated client fetches it with its token.
    docs_decorator=_docs_access,
    urls_namespace="api",
)
errors.install(api)


def _in_token_scope(operation: Callable[..., Any]) -> Callable[..., Any]:
    """Run an operation in the scope of the token's membership: the middleware scoped the request
    before the token was read (organisations.scoping)."""

    @functools.wraps(operation)
    def scoped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with membership_scope(request.auth):  # type: ignore[attr-defined]
            return operation(request, *args, **kwargs)

    return scoped


api.add_decorator(_in_token_scope)


# What every operation may answer besides its success: no or a bad token (401), too many
# requests (429); with parameters, input the schema refuses (422); with an object's id, an object
# that does not exist or belongs to another school (404).
FAILS = {401: ErrorOut, 429: ErrorOut}
FAILS_INPUT = {**FAILS, 422: ErrorOut}
FAILS_OBJECT = {**FAILS_INPUT, 404: ErrorOut}
# An object's id in a path: a positive 64-bit integer (see api.schemas.Id).
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
MAX_PAGE = 100
MAX_OFFSET = 1_000_000_000


class Page(LimitOffsetPagination):
    """Limit/offset pages with bounds in the schema: a page of 10³⁰ rows or a negative offset is
    refused (422) before any query, instead of overflowing the database's integers."""

    class Input(Schema):
        limit: int = Field(MAX_PAGE, ge=1, le=MAX_PAGE, description="Số dòng mỗi trang.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Bỏ qua bao nhiêu dòng đầu.")


def _school_id(request: HttpRequest) -> int | None:
    return membership_of(request.auth).school_id  # type: ignore[attr-defined]


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return get_authorised(request.auth, Plan, "planning.view_plan", pk=plan_id)  # type: ignore[attr-defined]


def _task(request: HttpRequest, task_id: int, perm: str | None = None) -> Task:
    return get_authorised(
        request.auth,  # type: ignore[attr-defined]
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


router = Router(tags=["kế hoạch"])


@router.get("/plans", response={200: list[PlanOut], **FAILS})
def plans(request: HttpRequest) -> Any:
    return [
        {**PlanOut.from_orm(p).dict(), "year_label": p.year_label}
        for p in Plan.objects.active().filter(school_id=_school_id(request))
    ]


@router.get("/plans/{plan_id}", response={200: PlanDetailOut, **FAILS_OBJECT})
def plan_detail(request: HttpRequest, plan_id: ObjectId) -> Any:
    plan = _plan(request, plan_id)
    on = default_day(plan, today())
    counts = Task.objects.active().filter(plan=plan).status_counts(on=on)
    return {
        **{f: getattr(plan, f) for f in PlanDetailOut.model_fields if hasattr(plan, f)},
        "on": on,
        "status_counts": counts,
    }


@router.get("/plans/{plan_id}/targets", response={200: list[TargetOut], **FAILS_OBJECT})
def plan_targets(request: HttpRequest, plan_id: ObjectId) -> Any:
    plan = _plan(request, plan_id)
    return [target_out(t) for t in plan.targets.active()]


@router.get("/targets/{target_id}", response={200: TargetOut, **FAILS_OBJECT})
def target_detail(request: HttpRequest, target_id: ObjectId) -> Any:
    target = get_authorised(
        request.auth,  # type: ignore[attr-defined]
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
def plan_tasks(request: HttpRequest, plan_id: ObjectId, filters: Query[TaskFilter]) -> Any:
    plan = _plan(request, plan_id)
    on = default_day(plan, today())
    tasks = Task.objects.active().filter(plan=plan).order_by("due_date", "code", "pk")
    if filters.status:
        tasks = tasks.with_status(filters.status, on=on)
    if filters.unit:
        ids = subtree_ids({filters.unit}, plan.school_id)
        tasks = tasks.filter(Q(lead_unit__in=ids) | Q(owner_unit__in=ids))
    if filters.area:
        tasks = tasks.filter(area_id=filters.area)
    return _LazyPage(tasks, lambda task: task_out(task, on))


class _LazyPage:
    """Slices the queryset first (pagination), then turns only the page into dicts."""

    def __init__(self, rows: Any, out: Callable[[Any], dict[str, Any]]) -> None:
        self.rows, self.out = rows, out

    def __len__(self) -> int:
        return int(self.rows.count())

    def count(self) -> int:
        return len(self)

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [self.out(row) for row in self.rows[key]]


@router.get("/tasks/{task_id}", response={200: TaskOut, **FAILS_OBJECT})
def task_detail(request: HttpRequest, task_id: ObjectId) -> Any:
    task = _task(request, task_id)
    return task_out(task, default_day(task.plan, today()))


@router.get("/tasks/{task_id}/checkins", response={200: list[CheckInOut], **FAILS_OBJECT})
def task_checkins(request: HttpRequest, task_id: ObjectId) -> Any:
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
def task_checkin_create(request: HttpRequest, task_id: ObjectId, payload: CheckInIn) -> Any:
    """A check-in without files (JSON); same rules as the form. With evidence files: the
    multipart endpoint `/tasks/{task_id}/checkins/upload`."""
    return _submit_checkin(request, task_id, payload, [])


@router.post("/tasks/{task_id}/checkins/upload", response=CHECKIN_RESPONSES)
def task_checkin_upload(
    request: HttpRequest,
    task_id: ObjectId,
    payload: Form[CheckInForm],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """A check-in with evidence files (multipart/form-data: the check-in's fields and `files`,
    repeated). Files are checked by their content as on the page (PDF, Word, Excel, images; size
    cap); one bad file refuses the whole check-in and nothing is written."""
    return _submit_checkin(request, task_id, payload, files or [])


def _submit_checkin(
    request: HttpRequest, task_id: int, payload: CheckInIn, files: list[UploadedFile]
) -> Any:
    task = _task(request, task_id, "tracking.checkin_task")
    user = request.auth  # type: ignore[attr-defined]
    if payload.unit_id not in reporting_unit_ids(user, task):
        raise PermissionDenied
    # Read one byte past the cap: a larger file is refused by its size without being read whole.
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


@router.get("/documents", response={200: list[DocumentOut], **FAILS_INPUT}, tags=["văn bản"])
@paginate(Page)
def documents(request: HttpRequest) -> Any:
    return _LazyPage(
        Document.objects.active()
        .filter(school_id=_school_id(request))
        .select_related("doc_type")
        .order_by("-issued_on", "symbol", "pk"),
        document_out,
    )


def document_out(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "symbol": document.symbol,
        "doc_type": document.doc_type.name if document.doc_type else None,
        "issued_on": document.issued_on,
        "issuer_name": document.issuer_name,
        "summary": document.summary,
        "version": document.version,
    }


@router.get(
    "/documents/{document_id}", response={200: DocumentOut, **FAILS_OBJECT}, tags=["văn bản"]
)
def document_detail(request: HttpRequest, document_id: ObjectId) -> Any:
    document = get_authorised(
        request.auth,  # type: ignore[attr-defined]
        Document.objects.active().select_related("doc_type"),
        "documents.view_document",
        pk=document_id,
    )
    return document_out(document)


@router.get("/units", response={200: list[UnitOut], **FAILS}, tags=["đơn vị"])
def units(request: HttpRequest) -> Any:
    school_id = _school_id(request)
    if school_id is None:
        return []
    return list(Organisation.objects.active().filter(school_id=school_id).order_by("order", "name"))


api.add_router("/", router)
