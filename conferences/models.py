"""Conferences: the hall (kinds, invitees, agenda, attendance), opinions, votes and their outcomes.

Links to the plan live here, never in planning's models: an opinion or a conclusion points to
the task it became.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Archivable, ArchivableQuerySet
from organisations.models import Organisation, Person


class PassBase(models.TextChoices):
    ATTENDEES = "attendees", _("Số người tham dự")
    SUMMONED = "summoned", _("Số người được triệu tập")
    VOTES = "votes", _("Số phiếu biểu quyết")


class ConferenceKindQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> ConferenceKindQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class ConferenceKind(models.Model):
    """A kind of conference with its quorum and vote rules, dated, with the text that set them."""

    code = models.SlugField(_("mã"), max_length=50)
    name = models.CharField(_("loại hội nghị"), max_length=255)
    quorum_numerator = models.PositiveSmallIntegerField(_("túc số: tử số"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("túc số: mẫu số"), default=3)
    pass_share = models.DecimalField(
        _("tỷ lệ tán thành phải vượt"), max_digits=4, decimal_places=3, default=Decimal("0.5")
    )
    pass_base = models.CharField(
        _("tính trên"), max_length=10, choices=PassBase.choices, default=PassBase.ATTENDEES
    )
    legal_basis = models.TextField(_("văn bản quy định"))
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()
    objects = ConferenceKindQuerySet.as_manager()

    class Meta:
        verbose_name = _("loại hội nghị")
        verbose_name_plural = _("loại hội nghị")
        ordering = ["name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="conference_kind_version")
        ]

    def __str__(self) -> str:
        return self.name

    def quorum_needed(self, summoned: int) -> int:
        """The fewest attendees for a valid conference (≥ numerator/denominator of those summoned)."""
        if not self.quorum_numerator or not self.quorum_denominator:
            return 0
        return -(-summoned * self.quorum_numerator // self.quorum_denominator)

    @property
    def quorum_label(self) -> str:
        return f"{self.quorum_numerator}/{self.quorum_denominator}"

    @property
    def pass_label(self) -> str:
        """ "50%" """
        from core.text import format_number

        return f"{format_number(self.pass_share * 100)}%"

    def passes(self, yes: int, base: int) -> bool:
        """Strictly more than the share of the base (> 50% of attendees by default)."""
        return base > 0 and Decimal(yes) > self.pass_share * Decimal(base)


class ConferenceStatus(models.TextChoices):
    PREPARING = "preparing", _("Đang chuẩn bị")
    IN_SESSION = "in_session", _("Đang họp")
    CLOSED = "closed", _("Đã kết thúc")


class Conference(Archivable):
    school = models.ForeignKey(
        Organisation, verbose_name=_("trường"), on_delete=models.PROTECT, related_name="conferences"
    )
    kind = models.ForeignKey(
        ConferenceKind, verbose_name=_("loại hội nghị"), on_delete=models.PROTECT
    )
    title = models.CharField(_("tên hội nghị"), max_length=500)
    held_on = models.DateField(_("ngày họp"))
    starts_at = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    plan = models.ForeignKey(
        "planning.Plan",
        verbose_name=_("kế hoạch được bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    secretary = models.ForeignKey(
        Person,
        verbose_name=_("thư ký hội nghị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=ConferenceStatus.choices,
        default=ConferenceStatus.PREPARING,
    )
    article_text = models.TextField(_("bài tin (đã biên tập)"), blank=True)
    article_published_at = models.DateTimeField(_("đăng tin lúc"), null=True, blank=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def search_source(self) -> list[str]:
        return [self.title, self.place]

    @property
    def accepts_opinions(self) -> bool:
        return self.status != ConferenceStatus.CLOSED and not self.is_archived


class ConferenceChair(Archivable):
    """One of the presidium (chủ tọa): the principal, often jointly with the trade-union chair."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="chairs")
    person = models.ForeignKey(
        Person, verbose_name=_("người chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.CharField(_("chức vụ"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chủ tọa")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.person} – {self.capacity}" if self.capacity else str(self.person)


class InviteeGroup(Archivable):
    """A group summoned to the conference, named as the papers name it ("Ban chấp hành Đảng ủy")."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("thành phần"), max_length=255)
    counts_for_quorum = models.BooleanField(
        _("tính vào túc số"),
        default=True,
        help_text=_("Bỏ chọn với khách mời, đại biểu học sinh, sinh viên."),
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành phần tham dự")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.TextChoices):
    UNKNOWN = "", _("Chưa điểm danh")
    PRESENT = "present", _("Có mặt")
    ABSENT = "absent", _("Vắng")


class Invitation(Archivable):
    """One person summoned, in the first group that names them; attendance is taken on the day."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="invitations")
    group = models.ForeignKey(
        InviteeGroup, verbose_name=_("thành phần"), on_delete=models.PROTECT, related_name="members"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    # People outside the staff register (student representatives, guests) are named only.
    name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    attendance = models.CharField(
        _("điểm danh"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    absence_reason = models.CharField(_("lý do vắng"), max_length=255, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("người được triệu tập")
        ordering = ["group__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "person"],
                condition=Q(person__isnull=False, archived_at__isnull=True),
                name="one_invitation_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person_id and self.person else self.name


class AgendaKind(models.TextChoices):
    OPENING = "opening", _("Khai mạc")
    REPORT = "report", _("Báo cáo, trình bày")
    SPEECH = "speech", _("Phát biểu, tham luận")
    DISCUSSION = "discussion", _("Điều hành thảo luận")
    ANSWERS = "answers", _("Trả lời ý kiến")
    VOTE = "vote", _("Biểu quyết")
    EMULATION = "emulation", _("Phát động thi đua")
    CONCLUSION = "conclusion", _("Kết luận")
    OTHER = "other", _("Khác")


class AgendaItem(Archivable):
    """Who presents what. The title reads as what the presenter did ("Triển khai nhiệm vụ…")."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="agenda_items"
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    kind = models.CharField(_("loại"), max_length=12, choices=AgendaKind.choices)
    title = models.CharField(_("nội dung"), max_length=500)
    presenter = models.ForeignKey(
        Person,
        verbose_name=_("người trình bày"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presenter_label = models.CharField(
        _("hoặc tập thể trình bày"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Các đồng chí trong Ban Giám hiệu"),
    )
    presenter_title = models.CharField(
        _("chức vụ khi trình bày"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Phó Bí thư Đảng ủy, Phó Hiệu trưởng"),
    )
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục chương trình")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def presenter_name(self) -> str:
        return self.presenter.full_name if self.presenter_id and self.presenter else ""


class AnswerKind(models.TextChoices):
    PENDING = "", _("Chờ trả lời")
    ACCEPTED = "accepted", _("Tiếp thu")
    EXPLAINED = "explained", _("Giải trình")
    FORWARDED = "forwarded", _("Chuyển đơn vị giải quyết")


class OpinionHistory(HistoricalRecords):
    """History that never names a user on an anonymous opinion's records.

    Anonymous means no link to the author anywhere: the request's user (which the history
    middleware would otherwise record) is dropped, for every record of that opinion.
    """

    def get_history_user(self, instance: Any) -> Any:
        if getattr(instance, "is_anonymous", False):
            return None
        return super().get_history_user(instance)


class OpinionQuerySet(ArchivableQuerySet):
    def received(self) -> OpinionQuerySet:
        return self.active()

    def main(self) -> OpinionQuerySet:
        """Opinions that are not duplicates merged into another one."""
        return self.active().filter(merged_into__isnull=True)


class Opinion(Archivable):
    """An opinion (ý kiến tham góp) on the draft plan, one of its targets or tasks."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="opinions")
    number = models.PositiveIntegerField(_("số thứ tự"))
    # Null whenever the opinion is anonymous: nothing else records who wrote it.
    author = models.ForeignKey(
        Person,
        verbose_name=_("người góp ý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conference_opinions",
    )
    is_anonymous = models.BooleanField(_("ẩn danh"), default=False, editable=False)
    topic = models.CharField(_("vấn đề góp ý"), max_length=500)
    content = models.TextField(_("nội dung ý kiến"))
    task = models.ForeignKey(
        "planning.Task",
        verbose_name=_("về nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conference_opinions",
    )
    target = models.ForeignKey(
        "planning.Target",
        verbose_name=_("về chỉ tiêu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conference_opinions",
    )
    during_session = models.BooleanField(_("góp ý tại hội nghị"), default=False, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("trùng với ý kiến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    answer_kind = models.CharField(
        _("hình thức trả lời"),
        max_length=10,
        choices=AnswerKind.choices,
        blank=True,
        default="",
    )
    answer = models.TextField(_("trả lời của lãnh đạo"), blank=True)
    forwarded_to = models.ForeignKey(
        Organisation,
        verbose_name=_("chuyển đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resulting_task = models.ForeignKey(
        "planning.Task",
        verbose_name=_("thành nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="from_opinions",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = OpinionHistory()
    objects = OpinionQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("ý kiến tham góp")
        verbose_name_plural = _("ý kiến tham góp")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="opinion_number_unique"),
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | Q(author__isnull=True),
                name="anonymous_opinion_has_no_author",
            ),
        ]

    def __str__(self) -> str:
        return f"Ý kiến số {self.number}: {self.topic}"

    def search_source(self) -> list[str]:
        return [self.topic, self.content, self.answer]

    @property
    def is_answered(self) -> bool:
        return bool(self.answer_kind)


class VoteMethod(models.TextChoices):
    SHOW_OF_HANDS = "hands", _("Biểu quyết giơ tay")
    SECRET_BALLOT = "secret", _("Bỏ phiếu kín điện tử")


class VoteStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa mở")
    OPEN = "open", _("Đang bỏ phiếu")
    CLOSED = "closed", _("Đã kết thúc")


class VoteChoice(models.TextChoices):
    YES = "yes", _("Tán thành")
    NO = "no", _("Không tán thành")
    ABSTAIN = "abstain", _("Không biểu quyết")


class VoteItem(Archivable):
    """An item put to the vote; its counts are written once, when the vote closes."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="vote_items")
    title = models.CharField(_("nội dung biểu quyết"), max_length=500)
    is_resolution = models.BooleanField(_("thông qua nghị quyết hội nghị"), default=False)
    method = models.CharField(
        _("hình thức"), max_length=10, choices=VoteMethod.choices, default=VoteMethod.SHOW_OF_HANDS
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=VoteStatus.choices, default=VoteStatus.DRAFT
    )
    yes_count = models.PositiveIntegerField(_("tán thành"), null=True, blank=True)
    no_count = models.PositiveIntegerField(_("không tán thành"), null=True, blank=True)
    abstain_count = models.PositiveIntegerField(_("không biểu quyết"), null=True, blank=True)
    attendees_at_close = models.PositiveIntegerField(null=True, blank=True, editable=False)
    summoned_at_close = models.PositiveIntegerField(null=True, blank=True, editable=False)
    passed = models.BooleanField(_("được thông qua"), null=True, blank=True, editable=False)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung biểu quyết")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def votes_cast(self) -> int:
        return (self.yes_count or 0) + (self.no_count or 0) + (self.abstain_count or 0)


class BallotBox(models.Model):
    """The running tally of a secret ballot: counters only, without history.

    A ballot is never a row of its own (row order or ids could be matched with the list of who
    voted), and the tally keeps no history (each record would name the voter next to the count
    that just changed).
    """

    vote_item = models.OneToOneField(VoteItem, on_delete=models.PROTECT, related_name="box")
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Hòm phiếu: {self.vote_item}"


class BallotCast(models.Model):
    """Who has voted on a secret ballot, kept apart from the tally and with no time of voting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote_item = models.ForeignKey(VoteItem, on_delete=models.PROTECT, related_name="casts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote_item", "person"], name="one_ballot_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} đã bỏ phiếu: {self.vote_item}"


class Conclusion(Archivable):
    """An item of the chair's conclusions; a directive ("giao + đơn vị + việc") becomes a task."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="conclusions")
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    text = models.TextField(_("nội dung kết luận"))
    is_directive = models.BooleanField(_("là nội dung giao việc"), default=True)
    lead_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    task = models.ForeignKey(
        "planning.Task",
        verbose_name=_("nhiệm vụ trong kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="from_conclusions",
    )
    task_created = models.BooleanField(default=False, editable=False)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kết luận")
        verbose_name_plural = _("kết luận")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    def search_source(self) -> list[str]:
        return [self.text]


class EmulationLaunch(models.Model):
    """The launch of the year's emulation campaign (phát động thi đua) at the conference."""

    conference = models.OneToOneField(
        Conference, on_delete=models.PROTECT, related_name="emulation_launch"
    )
    launched_by = models.ForeignKey(
        Person, verbose_name=_("người phát động"), on_delete=models.PROTECT, related_name="+"
    )
    launcher_title = models.CharField(_("chức vụ"), max_length=255, blank=True)
    on_behalf_of = models.CharField(
        _("thay mặt"), max_length=255, blank=True, default="lãnh đạo nhà trường"
    )
    campaign = models.CharField(
        _("phong trào thi đua"), max_length=500, help_text=_("Ví dụ: thi đua năm học 2023-2024")
    )
    audience = models.CharField(
        _("đối tượng"),
        max_length=500,
        help_text=_("Ví dụ: toàn thể cán bộ quản lý, nhà giáo, người lao động và HSSV"),
    )
    content = models.TextField(_("nội dung, chỉ tiêu thi đua"), blank=True)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phát động thi đua")

    def __str__(self) -> str:
        return self.campaign


class EmulationPledge(Archivable):
    """The emulation pledge signed between the head of the school and the trade union."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="pledges")
    head = models.ForeignKey(
        Person, verbose_name=_("thủ trưởng ký"), on_delete=models.PROTECT, related_name="+"
    )
    union = models.ForeignKey(
        Organisation, verbose_name=_("công đoàn"), on_delete=models.PROTECT, related_name="+"
    )
    union_rep = models.ForeignKey(
        Person, verbose_name=_("đại diện công đoàn ký"), on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("ngày ký"))
    content = models.TextField(_("nội dung giao ước"))
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giao ước thi đua")
        ordering = ["signed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.head} – {self.union_rep}"


def photo_upload_to(instance: Photo, filename: str) -> str:
    # The stored name is ours (the type found in the content), never the uploader's.
    return f"conferences/{instance.conference_id}/{filename}"


class Photo(Archivable):
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(_("ảnh"), upload_to=photo_upload_to)
    caption = models.CharField(_("chú thích"), max_length=500)
    content_type = models.CharField(max_length=30, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    size = models.PositiveIntegerField(editable=False)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_sample = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ảnh hội nghị")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.caption

    def search_source(self) -> list[str]:
        return [self.caption]
