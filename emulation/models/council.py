"""The council's secret ballot (bỏ phiếu kín của Hội đồng thi đua – khen thưởng), the published
results and the appeals against them.

A `CouncilVote` is the council's ballot paper for the year: one `CouncilItem` per case put to the
vote (a person proposed for a title, HTXS candidates over a unit's quota, a unit proposed for
TTLĐXS). The ballots are stored as the conference's are (`conferences.models.sealing`,
`conferences.sealing`): `CouncilBallotBox` holds the keys, `CouncilBallot` one sealed answer to
one case and nothing else, `CouncilBallotCast` who has voted, apart. Nothing links a ballot to
its voter; a member never gets a ballot for their own case.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conferences.models.sealing import SealedBallot, SealedKeys
from core.models import Archivable
from core.scopes import ScopedArchivableManager, ScopedManager
from core.versioning import Versioned
from emulation.council_rule import PassRule, Quorum
from emulation.models.campaigns import Campaign, CouncilBase, CouncilMember
from emulation.models.cycle import Evaluation
from organisations.models import Organisation, Person


class VoteStatus(models.TextChoices):
    DRAFT = "draft", _("Dự kiến danh sách bỏ phiếu")
    OPEN = "open", _("Đang bỏ phiếu")
    COUNTED = "counted", _("Đã kiểm phiếu")
    PUBLISHED = "published", _("Đã công khai kết quả")


class CouncilVote(Versioned, Archivable):
    """The council's secret ballot of the year: its cases, who was present, the rule applied."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="council_votes")
    held_on = models.DateField(_("ngày họp Hội đồng"))
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=VoteStatus.choices,
        default=VoteStatus.DRAFT,
        editable=False,
    )
    present = models.ManyToManyField(
        CouncilMember, verbose_name=_("thành viên có mặt"), related_name="+", blank=True
    )
    # The rule applied, copied from the campaign when the ballot opens.
    pass_numerator = models.PositiveSmallIntegerField(default=1, editable=False)
    pass_denominator = models.PositiveSmallIntegerField(default=2, editable=False)
    pass_strict = models.BooleanField(default=True, editable=False)
    pass_base = models.CharField(
        max_length=10, choices=CouncilBase.choices, default=CouncilBase.MEMBERS, editable=False
    )
    quorum_numerator = models.PositiveSmallIntegerField(default=2, editable=False)
    quorum_denominator = models.PositiveSmallIntegerField(default=3, editable=False)
    members_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    present_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    voters_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    counted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("ý kiến thảo luận của Hội đồng"), blank=True)
    # The results as published to staff (emulation.services.outcome), frozen at publication:
    # later corrections show on the decision page as differences from what was published.
    results = models.JSONField(default=dict, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("campaign__school")

    class Meta:
        verbose_name = _("bỏ phiếu kín của Hội đồng thi đua – khen thưởng")
        verbose_name_plural = _("bỏ phiếu kín của Hội đồng thi đua – khen thưởng")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(archived_at__isnull=True),
                name="emulation_one_council_vote_per_campaign",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} – {self.held_on:%d/%m/%Y}"

    @property
    def rule(self) -> PassRule:
        return PassRule(
            self.pass_numerator, self.pass_denominator, self.pass_strict, self.pass_base
        )

    @property
    def quorum(self) -> Quorum:
        return Quorum(self.quorum_numerator, self.quorum_denominator)

    @property
    def is_counted(self) -> bool:
        return self.status in (VoteStatus.COUNTED, VoteStatus.PUBLISHED)

    @property
    def is_published(self) -> bool:
        return self.status == VoteStatus.PUBLISHED


class CouncilBallotBox(SealedKeys):
    """The keys of the council's ballot (no history, no counter: nothing here changes while
    members vote)."""

    vote = models.OneToOneField(CouncilVote, on_delete=models.PROTECT, related_name="box")

    objects = ScopedManager("vote__campaign__school")

    def __str__(self) -> str:
        return f"Hòm phiếu: {self.vote}"


class ItemKind(models.TextChoices):
    """What the council votes on (emulation/README.md, "What the council votes on")."""

    HTXS = "htxs", _("Hoàn thành xuất sắc nhiệm vụ (vượt chỉ tiêu)")
    CSTDCS = "cstdcs", _("Chiến sĩ thi đua cơ sở")
    CSTD_HIGHER = "cstd_higher", _("Đề nghị Chiến sĩ thi đua cấp tỉnh/bộ")
    BANG_KHEN = "bang_khen", _("Đề nghị Bằng khen của Bộ trưởng")
    TTLDXS = "ttldxs", _("Đề nghị Tập thể lao động xuất sắc")


ITEM_ORDER = list(ItemKind)


class CouncilItem(models.Model):
    """One case on the council's ballot paper: a person (`evaluation`) or a unit, for one title.
    Its tally is written once, at the count."""

    vote = models.ForeignKey(CouncilVote, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(_("nội dung"), max_length=12, choices=ItemKind.choices)
    evaluation = models.ForeignKey(
        Evaluation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_items",
    )
    unit = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # HTXS over the quota: the unit and group of similar tasks, and how many may stay HTXS.
    group = models.CharField(_("nhóm"), max_length=255, blank=True)
    quota = models.PositiveSmallIntegerField(null=True, blank=True)
    # Why the case is on the ballot (the engine's reasons, or the proposal's grounds).
    grounds = models.TextField(_("căn cứ đề nghị"), blank=True)
    order = models.PositiveIntegerField(default=0)
    yes_count = models.PositiveSmallIntegerField(_("đồng ý"), null=True, blank=True)
    no_count = models.PositiveSmallIntegerField(_("không đồng ý"), null=True, blank=True)
    abstain_count = models.PositiveSmallIntegerField(_("không biểu quyết"), null=True, blank=True)
    # The members the share was counted on for this case (the candidate left out).
    base = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    passed = models.BooleanField(null=True, blank=True, editable=False)
    rank = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedManager("vote__campaign__school")

    class Meta:
        verbose_name = _("nội dung bỏ phiếu của Hội đồng")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evaluation__isnull=False) | Q(unit__isnull=False),
                name="emulation_council_item_names_someone",
            ),
            models.UniqueConstraint(
                fields=["vote", "kind", "evaluation"],
                condition=Q(evaluation__isnull=False),
                name="emulation_council_item_person_once",
            ),
            models.UniqueConstraint(
                fields=["vote", "kind", "unit"],
                condition=Q(evaluation__isnull=True),
                name="emulation_council_item_unit_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.evaluation or self.unit}"

    @property
    def votes_cast(self) -> int:
        return (self.yes_count or 0) + (self.no_count or 0) + (self.abstain_count or 0)


class CouncilBallot(SealedBallot):
    """One sealed answer to one case: the ciphertext, the box and the case, nothing else.
    Rewritten in a random order at every cast, opened in a random order and deleted at the
    count."""

    box = models.ForeignKey(CouncilBallotBox, on_delete=models.CASCADE, related_name="ballots")
    item = models.ForeignKey(CouncilItem, on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager("box__vote__campaign__school")

    def __str__(self) -> str:
        return "Phiếu kín"


class CouncilBallotCast(models.Model):
    """Who has voted, kept apart from the ballots, with no time of voting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(CouncilVote, on_delete=models.PROTECT, related_name="casts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager("vote__campaign__school")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "person"], name="emulation_one_council_ballot_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} đã bỏ phiếu"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Chờ trả lời")
    ACCEPTED = "accepted", _("Chấp nhận, xem xét lại")
    REJECTED = "rejected", _("Giữ nguyên kết quả")


class Appeal(Versioned, Archivable):
    """A person's appeal (kiến nghị) against their own published result, and the answer."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="appeals")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="appeals")
    text = models.TextField(_("nội dung kiến nghị"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    filed_at = models.DateTimeField(editable=False)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=AppealStatus.choices,
        default=AppealStatus.PENDING,
        editable=False,
    )
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedArchivableManager("campaign__school")

    class Meta:
        verbose_name = _("kiến nghị về kết quả thi đua")
        verbose_name_plural = _("kiến nghị về kết quả thi đua")
        ordering = ["filed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "evaluation"],
                condition=Q(archived_at__isnull=True),
                name="emulation_one_appeal_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Kiến nghị của {self.evaluation.person}"

    @property
    def is_pending(self) -> bool:
        return self.status == AppealStatus.PENDING
