"""Opinions and votes."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conferences.models.hall import Conference
from conferences.models.sealing import SealedBallot, SealedKeys
from core.models import Archivable, ArchivableQuerySet
from core.scopes import ScopedArchivableManager, ScopedManager
from organisations.models import Organisation, Person


class AnswerKind(models.TextChoices):
    PENDING = "", _("Chờ trả lời")
    ACCEPTED = "accepted", _("Tiếp thu")
    EXPLAINED = "explained", _("Giải trình")
    FORWARDED = "forwarded", _("Chuyển đơn vị giải quyết")


def random_id() -> int:
    """A random id (below 2**53, so a browser reads it exactly): ids given in order would tell
    when an anonymous opinion arrived, between named ones."""
    return secrets.randbelow(2**53 - 2) + 1


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


OpinionManager = ScopedManager.from_queryset(OpinionQuerySet)


class Opinion(Archivable):
    """An opinion (ý kiến tham góp) on the draft plan, one of its targets or tasks.

    Nothing stored orders an anonymous opinion among named ones: its id (and its history
    records' ids) are random, and its number is given only when the secretary numbers the
    opinions received (by subject, not by time; services.opinions.number_opinions).
    """

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="opinions")
    number = models.PositiveIntegerField(_("số thứ tự"), null=True, blank=True)
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

    history = OpinionHistory(
        history_id_field=models.BigIntegerField(default=random_id, editable=False)
    )
    objects = OpinionManager("conference__school")

    class Meta:
        verbose_name = _("ý kiến tham góp")
        verbose_name_plural = _("ý kiến tham góp")
        ordering = ["number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="opinion_number_unique"),
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | Q(author__isnull=True),
                name="anonymous_opinion_has_no_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.topic}"

    @property
    def label(self) -> str:
        if self.number is None:
            return str(_("Ý kiến chưa đánh số"))
        return str(_("Ý kiến số %(n)s") % {"n": self.number})

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
    objects = ScopedArchivableManager("conference__school")

    class Meta:
        verbose_name = _("nội dung biểu quyết")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def votes_cast(self) -> int:
        return (self.yes_count or 0) + (self.no_count or 0) + (self.abstain_count or 0)


class BallotBox(SealedKeys):
    """The keys of a secret ballot (`SealedKeys`), without history and without any counter.

    The public key seals each ballot at casting; the private key is stored only encrypted with
    the chair's passphrase (see conferences.ballots) and wiped when the vote closes. Nothing
    here changes while people vote, so no row version can be matched with a voter.
    `carried_over` holds the counts of a vote opened before ballots were sealed (migration
    0004); it is added to the sealed ballots at the close.
    """

    vote_item = models.OneToOneField(VoteItem, on_delete=models.PROTECT, related_name="box")
    carried_over = models.JSONField(default=dict, editable=False)

    objects = ScopedManager("vote_item__conference__school")

    def __str__(self) -> str:
        return f"Hòm phiếu: {self.vote_item}"


class Ballot(SealedBallot):
    """One sealed ballot (`SealedBallot`): nothing but the ciphertext and its box.

    No voter, no time, a random id; the rows of a box are rewritten in a random order at every
    cast, so neither the ids, nor the row order, nor the rows' transaction ids tell the order of
    casting. They are opened in random order and deleted when the vote closes.
    """

    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="ballots")

    objects = ScopedManager("box__vote_item__conference__school")

    def __str__(self) -> str:
        return "Phiếu kín"


class BallotCast(models.Model):
    """Who has voted on a secret ballot, kept apart from the tally and with no time of voting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote_item = models.ForeignKey(VoteItem, on_delete=models.PROTECT, related_name="casts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    objects = ScopedManager("vote_item__conference__school")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote_item", "person"], name="one_ballot_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} đã bỏ phiếu: {self.vote_item}"
