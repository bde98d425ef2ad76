"""The school's year plan: bases, work areas, targets, the task tree and the units' share of it.

One module of about 650 lines on purpose: the plan's models point at each other (a task's plan,
area, target and unit plan; a target's allocations and readings), and their querysets answer
questions across them; read together, the schema of a plan is on one page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable, ArchivableQuerySet
from core.scopes import ScopedArchivableManager, ScopedManager
from core.text import school_year_label
from core.versioning import Versioned
from documents.models import Document
from organisations.models import Organisation, Person
from planning.status import RunState, TaskStatus


class StrategicGoal(Versioned, Archivable):
    """A multi-year goal of the school's development strategy (e.g. 2021–2025, định hướng 2030)."""

    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="strategic_goals"
    )
    code = models.CharField(_("mã"), max_length=20, blank=True)
    title = models.CharField(_("mục tiêu chiến lược"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    period_start = models.PositiveIntegerField(_("từ năm"))
    period_end = models.PositiveIntegerField(_("đến năm"))
    horizon_year = models.PositiveIntegerField(_("định hướng đến năm"), null=True, blank=True)
    basis = models.ForeignKey(
        Document,
        verbose_name=_("văn bản chiến lược"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    history = HistoricalRecords()
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("mục tiêu chiến lược")
        verbose_name_plural = _("mục tiêu chiến lược")
        ordering = ["code", "pk"]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}" if self.code else self.title

    def search_source(self) -> list[str]:
        return [self.code, self.title]

    @property
    def period_label(self) -> str:
        label = f"{self.period_start}–{self.period_end}"
        return f"{label}, định hướng đến năm {self.horizon_year}" if self.horizon_year else label


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class Plan(Versioned, Archivable):
    school = models.ForeignKey(
        Organisation, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="plans"
    )
    start_year = models.PositiveIntegerField(_("năm học bắt đầu"))
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    theme = models.TextField(_("chủ đề, định hướng năm học"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("sao từ kế hoạch"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    bases = models.ManyToManyField(Document, through="PlanBasis", related_name="plans")  # type: ignore[var-annotated]
    # Bumped after each committed change of what the plan's pages compute (planning.figures_cache):
    # part of their cache keys. Written by UPDATE only: save() leaves it alone (see below).
    figures_version = models.PositiveBigIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["figures_version"])
    objects = ScopedArchivableManager("school")

    class Meta:
        verbose_name = _("kế hoạch năm học")
        verbose_name_plural = _("kế hoạch năm học")
        ordering = ["-start_year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "start_year"],
                condition=Q(archived_at__isnull=True),
                name="one_active_plan_per_school_year",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A plan read before a change was committed would write back an older figures version,
        # which could then be bumped to a number whose cached figures predate the change.
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "figures_version"
            ]
        super().save(*args, **kwargs)

    def search_source(self) -> list[str]:
        return [self.title, self.theme, self.year_label]

    @property
    def year_label(self) -> str:
        return school_year_label(self.start_year)

    @property
    def is_issued(self) -> bool:
        return self.status == PlanStatus.ISSUED

    @property
    def is_draft_copy(self) -> bool:
        """A draft made by "Sao sang năm học mới" and not yet issued: next year's plan being
        written, not a plan to copy forward again."""
        return self.copied_from_id is not None and not self.is_issued

    def next_year_plan(self) -> Plan | None:
        """The school's plan for the year after this one, if it has one (copied or not)."""
        return (
            Plan.objects.active()
            .filter(school_id=self.school_id, start_year=self.start_year + 1)
            .only("pk", "start_year", "status")
            .first()
        )

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.start_year, 9, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.start_year + 1, 8, 31)


class PlanBasis(models.Model):
    """A document the plan is based on (căn cứ), in the order the plan cites them."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="basis_links")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="plan_links")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = ScopedManager("plan__school")

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "document"], name="plan_basis_unique")
        ]

    def __str__(self) -> str:
        return str(self.document)


class PlanAmendment(models.Model):
    """An issued plan changes only inside a recorded amendment (sửa đổi, bổ sung)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveIntegerField(_("lần sửa đổi"))
    reason = models.TextField(_("lý do sửa đổi, bổ sung"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager("plan__school")

    class Meta:
        verbose_name = _("sửa đổi kế hoạch")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="amendment_number_unique"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(closed_at__isnull=True),
                name="one_open_amendment_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"Sửa đổi lần {self.number}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class WorkArea(Versioned, Archivable):
    """A work area (lĩnh vực công tác) of the plan: training, enrolment, research…"""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="areas")
    code = models.CharField(_("mã"), max_length=20, blank=True)
    name = models.CharField(_("lĩnh vực công tác"), max_length=255)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("plan__school")

    class Meta:
        verbose_name = _("lĩnh vực công tác")
        verbose_name_plural = _("lĩnh vực công tác")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> list[str]:
        return [self.name]


class Direction(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt")
    LOWER = "lower", _("Càng thấp càng tốt")
    RANGE = "range", _("Trong khoảng")
    BOOLEAN = "boolean", _("Đạt / không đạt")


class Target(Versioned, Archivable):
    """A measurable target (chỉ tiêu) of the year."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="targets")
    area = models.ForeignKey(
        WorkArea,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    code = models.CharField(_("mã"), max_length=20, blank=True)
    name = models.CharField(_("chỉ tiêu"), max_length=500)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=50)
    direction = models.CharField(
        _("chiều đánh giá"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline = models.DecimalField(
        _("giá trị năm trước"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_value = models.DecimalField(
        _("giá trị chỉ tiêu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    range_min = models.DecimalField(
        _("cận dưới"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    range_max = models.DecimalField(
        _("cận trên"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amber_threshold = models.DecimalField(
        _("ngưỡng vàng"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Quá ngưỡng này (theo chiều đánh giá) thì chuyển sang vàng"),
    )
    red_threshold = models.DecimalField(
        _("ngưỡng đỏ"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Quá ngưỡng này (theo chiều đánh giá) thì chuyển sang đỏ"),
    )
    responsible_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị chịu trách nhiệm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_targets",
    )
    strategic_goal = models.ForeignKey(
        StrategicGoal,
        verbose_name=_("mục tiêu chiến lược"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    is_recurring = models.BooleanField(_("chỉ tiêu thường niên"), default=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("chuyển từ năm trước"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="carried_to",
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_sample = models.BooleanField(default=False, editable=False)
    # The latest measured value, written by check-ins (tracking.services); the readings over the
    # year are kept in tracking.TargetReading.
    actual_value = models.DecimalField(
        _("giá trị thực hiện"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    actual_on = models.DateField(_("ngày đo"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("plan__school")

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> list[str]:
        return [self.code, self.name]


class TaskKind(models.TextChoices):
    TASK = "task", _("Nhiệm vụ")
    SOLUTION = "solution", _("Giải pháp")
    ACTIVITY = "activity", _("Hoạt động")


class TaskQuerySet(ArchivableQuerySet):
    def school_level(self) -> TaskQuerySet:
        return self.filter(owner_unit__isnull=True)

    def involving_units(self, unit_ids: set[int] | frozenset[int]) -> TaskQuerySet:
        """Tasks a unit leads, coordinates or owns in its unit plan."""
        return self.filter(
            Q(lead_unit__in=unit_ids)
            | Q(owner_unit__in=unit_ids)
            | Q(coordinations__unit__in=unit_ids, coordinations__archived_at__isnull=True)
        ).distinct()

    def unfinished(self) -> TaskQuerySet:
        return self.filter(completed_on__isnull=True)

    # Status in SQL, mirroring planning.status.compute_status (tested against it), so that lists
    # and dashboards count and filter without loading every task.

    def status_q(
        self, status: str, *, on: dt.date, due: str = "due_date", run_state: str = "run_state"
    ) -> Q:
        """`due` and `run_state` name the columns read: a past day's figures read those the
        task had then (annotations of tracking.task_figures.as_of), not a later decision's."""
        running = Q(**{run_state: RunState.ACTIVE})
        done = Q(completed_on__isnull=False, completed_on__lte=on)
        late = Q(**{f"{due}__isnull": False, "completed_on__gt": F(due)})
        # A draft plan's deadlines are not in force yet (planning.status.compute_status).
        overdue = Q(
            **{f"{due}__isnull": False, f"{due}__lt": on, "plan__status": PlanStatus.ISSUED}
        )
        untouched = (
            Q(progress_mode=ProgressMode.ENTERED, progress=0)
            | Q(progress_mode=ProgressMode.DERIVED, derived_progress=0)
        ) | Q(start_date__gt=on)
        conditions = {
            TaskStatus.CANCELLED: Q(**{run_state: RunState.CANCELLED}),
            TaskStatus.PAUSED: Q(**{run_state: RunState.PAUSED}),
            TaskStatus.DONE_ON_TIME: running & done & ~late,
            TaskStatus.DONE_LATE: running & done & late,
            TaskStatus.OVERDUE: running & ~done & overdue,
            TaskStatus.NOT_STARTED: running & ~done & ~overdue & untouched,
            TaskStatus.IN_PROGRESS: running & ~done & ~overdue & ~untouched,
        }
        return conditions[TaskStatus(status)]

    def with_status(self, status: str, *, on: dt.date) -> TaskQuerySet:
        return self.filter(self.status_q(status, on=on))

    def overdue(self, *, on: dt.date) -> TaskQuerySet:
        return self.with_status(TaskStatus.OVERDUE, on=on)

    def status_counts(self, *, on: dt.date) -> dict[str, int]:
        """How many tasks are in each status, in one query."""
        row = self.aggregate(
            **{
                str(status): Count("pk", filter=self.status_q(status, on=on))
                for status in TaskStatus
            }
        )
        return {str(key): int(value or 0) for key, value in row.items()}

    def due_by(self, day: dt.date) -> TaskQuerySet:
        """Tasks whose original deadline has come: the denominator of the on-time rate."""
        return self.annotate(baseline_due=Coalesce("original_due_date", "due_date")).filter(
            baseline_due__lte=day
        )


TaskManager = ScopedManager.from_queryset(TaskQuerySet)


class ProgressMode(models.TextChoices):
    ENTERED = "entered", _("Nhập trực tiếp")
    DERIVED = "derived", _("Tính từ nhiệm vụ con (theo trọng số)")


# Siblings' stored places are 10, 20, 30…: their order follows their numbers (planning.services.
# place_by_number), and an import may still slot a row in between.
ORDER_STEP = 10


class Task(Versioned, Archivable):
    """A node of the task tree: nhiệm vụ → giải pháp → hoạt động.

    School tasks have no owner unit; a unit's own tasks (its unit plan) name the unit that owns
    them and the school task they serve.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(
        _("cấp"), max_length=10, choices=TaskKind.choices, default=TaskKind.TASK
    )
    code = models.CharField(_("số thứ tự"), max_length=20, blank=True)
    title = models.CharField(_("tên nhiệm vụ"), max_length=1000)
    description = models.TextField(_("nội dung"), blank=True)
    area = models.ForeignKey(
        WorkArea,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    lead_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    person_in_charge = models.ForeignKey(
        Person,
        verbose_name=_("người phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks_in_charge",
    )
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    weight = models.DecimalField(
        _("trọng số"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("chỉ tiêu gắn với nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    owner_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("thuộc kế hoạch của đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_tasks",
    )
    serves = models.ForeignKey(
        "self",
        verbose_name=_("phục vụ nhiệm vụ của trường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unit_tasks",
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("chuyển từ năm trước"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="carried_to",
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    coordinating_units = models.ManyToManyField(  # type: ignore[var-annotated]
        Organisation, through="TaskCoordination", related_name="coordinated_tasks"
    )
    bases = models.ManyToManyField(Document, through="TaskBasis", related_name="tasks")  # type: ignore[var-annotated]

    # Tracking (tracking.services writes these).
    run_state = models.CharField(
        _("tình trạng"), max_length=10, choices=RunState.choices, default=RunState.ACTIVE
    )
    progress = models.PositiveSmallIntegerField(
        _("tiến độ nhập (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    progress_mode = models.CharField(
        _("cách tính tiến độ"),
        max_length=10,
        choices=ProgressMode.choices,
        default=ProgressMode.ENTERED,
    )
    # Kept apart from `progress`, so a derived value never overwrites an entered one.
    derived_progress = models.PositiveSmallIntegerField(
        _("tiến độ tính từ nhiệm vụ con (%)"), default=0, editable=False
    )
    # The deadline first set, once an extension moved `due_date`; punctuality is measured on it.
    original_due_date = models.DateField(_("hạn ban đầu"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["derived_progress"])
    objects = TaskManager("plan__school")

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["order", "pk"]
        indexes = [
            models.Index(fields=["plan", "parent", "order"]),
            models.Index(fields=["plan", "due_date"], name="task_plan_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}" if self.code else self.title

    def search_source(self) -> list[str]:
        return [self.code, self.title, self.description]

    @property
    def effective_progress(self) -> int:
        if self.progress_mode == ProgressMode.DERIVED:
            return self.derived_progress
        return self.progress

    @property
    def baseline_due_date(self) -> dt.date | None:
        return self.original_due_date or self.due_date


class TaskCoordination(Archivable):
    """A coordinating unit (đơn vị phối hợp) of a task, with its own duty line."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="coordinations")
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị phối hợp"),
        on_delete=models.PROTECT,
        related_name="coordinations",
    )
    duty = models.CharField(_("nhiệm vụ phối hợp"), max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("task__plan__school")

    class Meta:
        verbose_name = _("đơn vị phối hợp")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit"],
                condition=Q(archived_at__isnull=True),
                name="coordination_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.duty}" if self.duty else str(self.unit)


class TaskBasis(Archivable):
    """The document (and optionally the clause) a task implements."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="basis_links")
    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="task_links"
    )
    clause = models.CharField(
        _("điều, khoản, mục"), max_length=255, blank=True, help_text=_("Ví dụ: Mục II.3")
    )

    history = HistoricalRecords()
    objects = ScopedArchivableManager("task__plan__school")

    class Meta:
        verbose_name = _("căn cứ của nhiệm vụ")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.document} – {self.clause}" if self.clause else str(self.document)


class UnitPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Đang xây dựng")
    APPROVED = "approved", _("Trưởng đơn vị đã duyệt")


class UnitPlan(models.Model):
    """A unit's own plan for the year, cascading from the school plan."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="unit_plans")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="unit_plans")
    status = models.CharField(
        max_length=10, choices=UnitPlanStatus.choices, default=UnitPlanStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()
    objects = ScopedManager("plan__school")

    class Meta:
        verbose_name = _("kế hoạch đơn vị")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="unit_plan_unique")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.plan.year_label}"


class ProposalStatus(models.TextChoices):
    NONE = "", _("Không đề xuất")
    PENDING = "pending", _("Chờ Ban giám hiệu xem xét")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    REJECTED = "rejected", _("Không chấp nhận")


class TargetAllocation(models.Model):
    """A target's share allocated to a unit; the unit may propose another value with a reason."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="allocations")
    unit = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="allocations"
    )
    value = models.DecimalField(_("giá trị giao"), max_digits=14, decimal_places=2)
    proposed_value = models.DecimalField(
        _("giá trị đề xuất"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    proposal_reason = models.TextField(_("lý do đề xuất"), blank=True)
    proposal_status = models.CharField(
        _("đề xuất"), max_length=10, choices=ProposalStatus.choices, blank=True, default=""
    )
    decision_note = models.TextField(_("ý kiến của Ban giám hiệu"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager("target__plan__school")

    class Meta:
        verbose_name = _("chỉ tiêu giao đơn vị")
        ordering = ["target__order", "unit__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["target", "unit"], name="allocation_unique")]

    def __str__(self) -> str:
        return f"{self.target} – {self.unit}: {self.value}"
