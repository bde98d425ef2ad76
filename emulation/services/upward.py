"""A school's proposals above itself, sent to the Sở as a dossier, and the Sở's answer.

After the principal's decision and the tờ trình (services.decisions), the school's leadership
sends the Sở that directs it a dossier: the proposals it chooses among the tờ trình's (a person's
CSTĐ cấp tỉnh/bộ or Bằng khen, a unit's TTLĐXS, the school's own TTLĐTT), the achievements stated
for each, and the papers already issued (the Quyết định, the tờ trình, the council's tally).

The trail: sent (version 1) → returned with a reason → sent again (version 2, version 1 kept) →
accepted → decided (the decision's number, day and issuer; each item awarded or not). Each step
is a `DossierEvent` and tells the other side. An awarded title is written back into the person's
(or the unit's) titles of the year at the school (`TitleHistory`), with the level above's
decision beside the school's own.

The Sở's council is not run through the school's ballot machinery (a school's campaign, its
evaluations and staff): the Sở records its council's outcome as the decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import stamp
from core.clock import today
from core.text import format_date
from emulation import notices_upward as notices
from emulation.engine import Title
from emulation.models import (
    Campaign,
    DossierAction,
    DossierEvent,
    DossierItem,
    DossierStatus,
    DossierVersion,
    ItemKind,
    TitleHistory,
    TitleSource,
    UpwardDossier,
)
from emulation.services.common import EmulationError, person_of
from emulation.services.decisions import DECISION_KIND, PROPOSAL_KIND, decision_of
from organisations.models import Organisation, OrganisationKind
from papers.models import IssuedPaper
from province.models import DIRECTING_KINDS, DirectedSchool


@dataclass(frozen=True)
class Proposal:
    """One proposal of the school's tờ trình, with whom it names."""

    key: str  # stable within the decision: "<kind>:<person or unit id>"
    kind: str
    title: str
    title_value: str
    person_id: int | None
    unit_id: int | None
    name: str
    unit_name: str
    grounds: str
    tally: str

    @property
    def who(self) -> str:
        return self.name or str(_("Tập thể %(unit)s") % {"unit": self.unit_name})


def _title_value(kind: str, title: str) -> str:
    if kind == ItemKind.CSTD_HIGHER:
        for value in (Title.CSTD_PROVINCE, Title.CSTD_MINISTRY):
            if title == value.label:
                return value.value
    if kind == ItemKind.TTLDXS:
        return Title.TTLDXS.value
    if kind == "ttldtt":
        return Title.TTLDTT.value
    return title


def proposals(campaign: Campaign) -> list[Proposal]:
    """What the school's tờ trình proposes above it (none before the tờ trình is issued)."""
    decision = decision_of(campaign)
    if decision is None or decision.proposal_on is None:
        return []
    people = {(row["name"], row["unit"]): row for row in decision.people}
    units = {row["name"]: row["unit"] for row in decision.units}
    school = (decision.snapshot or {}).get("school")
    if school:
        units[school["name"]] = school["unit"]
    found = []
    for row in decision.proposals:
        person_id = unit_id = None
        if row["name"]:
            person = people.get((row["name"], row["unit"]))
            if person is None:
                continue
            person_id = person["person"]
        else:
            unit_id = units.get(row["unit"])
            if unit_id is None:
                continue
        found.append(
            Proposal(
                key=f"{row['kind']}:{person_id or unit_id}",
                kind=row["kind"],
                title=row["title"],
                title_value=_title_value(row["kind"], row["title"]),
                person_id=person_id,
                unit_id=unit_id,
                name=row["name"],
                unit_name=row["unit"],
                grounds=row.get("grounds", ""),
                tally=row.get("tally", ""),
            )
        )
    return found


def bodies_of(school_id: int) -> list[Organisation]:
    """The bodies above the school that direct it (its Sở first), current ones only."""
    # Read across scopes on purpose: which bodies direct the school is the Sở's list.
    entries = (
        DirectedSchool._base_manager.filter(
            school_id=school_id, archived_at=None, body__archived_at=None
        )
        .select_related("body")
        .order_by("body__name")
    )
    bodies = [entry.body for entry in entries if entry.body.kind in DIRECTING_KINDS]
    return sorted(bodies, key=lambda body: body.kind != OrganisationKind.DEPARTMENT)


def _papers(campaign: Campaign) -> list[dict[str, object]]:
    """The issued papers a version encloses, and the council's tally, as they are now."""
    decision = decision_of(campaign)
    found: list[dict[str, object]] = []
    issued = {
        paper.kind: paper
        for paper in IssuedPaper._base_manager.filter(
            kind__in=[DECISION_KIND, PROPOSAL_KIND],
            object_id=campaign.pk,
            amends=None,
            document__school_id=campaign.school_id,
        ).select_related("document")
    }
    for kind, label in (
        (DECISION_KIND, _("Quyết định công nhận danh hiệu thi đua của trường")),
        (PROPOSAL_KIND, _("Tờ trình đề nghị khen thưởng")),
    ):
        paper = issued.get(kind)
        if paper is not None:
            found.append(
                {
                    "paper": paper.pk,
                    "kind": kind,
                    "label": label,
                    "symbol": paper.document.symbol,
                    "on": format_date(paper.document.issued_on),
                    "summary": paper.document.summary,
                }
            )
    snapshot = decision.snapshot if decision is not None else {}
    if snapshot.get("vote_held_on"):
        found.append(
            {
                "paper": None,
                "kind": "council",
                "label": _("Kết quả bỏ phiếu kín của Hội đồng Thi đua – Khen thưởng trường"),
                "symbol": "",
                "on": format_date(dt.date.fromisoformat(snapshot["vote_held_on"])),
                "summary": snapshot.get("rule", ""),
            }
        )
    return found


def _event(
    dossier: UpwardDossier,
    action: str,
    *,
    by: User,
    organisation_id: int,
    reason: str = "",
) -> DossierEvent:
    person = person_of(by, organisation_id)
    return DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        version_number=dossier.current.number if dossier.current else 0,
        at=timezone.now(),
        by=by,
        by_name=person.full_name if person is not None else by.get_username(),
        organisation_id=organisation_id,
        reason=reason,
    )


def _new_version(
    dossier: UpwardDossier,
    chosen: Sequence[Proposal],
    *,
    achievements: dict[str, str],
    letter: str,
    by: User,
) -> DossierVersion:
    if not chosen:
        raise EmulationError(_("Hãy chọn ít nhất một đề nghị đưa vào hồ sơ."))
    number = (dossier.current.number if dossier.current else 0) + 1
    version = DossierVersion.objects.create(
        dossier=dossier,
        number=number,
        submitted_at=timezone.now(),
        submitted_by=by,
        letter=letter.strip(),
        papers=_papers(dossier.campaign),
    )
    DossierItem.objects.bulk_create(
        DossierItem(
            version=version,
            order=order,
            kind=proposal.kind,
            title=proposal.title,
            title_value=proposal.title_value,
            person_id=proposal.person_id,
            unit_id=proposal.unit_id,
            name=proposal.name,
            unit_name=proposal.unit_name,
            achievements=(achievements.get(proposal.key) or proposal.grounds).strip(),
            tally=proposal.tally,
        )
        for order, proposal in enumerate(chosen)
    )
    return version


def _chosen(campaign: Campaign, keys: Iterable[str]) -> list[Proposal]:
    wanted = set(keys)
    available = proposals(campaign)
    unknown = wanted - {proposal.key for proposal in available}
    if unknown:
        raise EmulationError(_("Chỉ gửi được các đề nghị có trong tờ trình của trường."))
    return [proposal for proposal in available if proposal.key in wanted]


@transaction.atomic
def submit_dossier(
    campaign: Campaign,
    body: Organisation,
    *,
    keys: Iterable[str],
    achievements: dict[str, str] | None = None,
    letter: str = "",
    by: User,
) -> UpwardDossier:
    """Send the Sở the proposals chosen (keys of `proposals(campaign)`), version 1."""
    campaign = Campaign._base_manager.select_for_update().get(pk=campaign.pk)
    if decision_of(campaign) is None or not proposals(campaign):
        raise EmulationError(
            _("Cần ban hành quyết định công nhận và tờ trình đề nghị cấp trên trước khi gửi hồ sơ.")
        )
    if body.pk not in {entry.pk for entry in bodies_of(campaign.school_id)}:
        raise EmulationError(_("Chỉ gửi được hồ sơ đến cơ quan cấp trên chỉ đạo trường."))
    if UpwardDossier._base_manager.filter(campaign=campaign, body=body, archived_at=None).exists():
        raise EmulationError(
            _("Hồ sơ của phong trào này đã được gửi đến %(body)s.") % {"body": body}
        )
    chosen = _chosen(campaign, keys)
    dossier = UpwardDossier(
        school_id=campaign.school_id,
        body=body,
        campaign=campaign,
        start_year=campaign.start_year,
        status=DossierStatus.SUBMITTED,
        is_sample=campaign.is_sample,
    )
    stamp(dossier, by, _("Gửi hồ sơ đề nghị khen thưởng"))
    dossier.save()
    dossier.current = _new_version(
        dossier, chosen, achievements=achievements or {}, letter=letter, by=by
    )
    dossier.save(update_fields=["current"])
    _event(dossier, DossierAction.SUBMITTED, by=by, organisation_id=campaign.school_id)
    notices.dossier_submitted(dossier, by=by)
    return dossier


def _locked(dossier: UpwardDossier) -> UpwardDossier:
    locked = (
        # Only the dossier's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join to its current version.
        UpwardDossier._base_manager.select_for_update(of=("self",))
        .select_related("school", "body", "campaign", "current")
        .get(pk=dossier.pk)
    )
    if locked.is_archived:
        raise EmulationError(_("Hồ sơ đã được lưu trữ."))
    return locked


def _require_status(dossier: UpwardDossier, *allowed: str) -> None:
    if dossier.status not in allowed:
        raise EmulationError(
            _("Hồ sơ đang ở trạng thái “%(status)s”, không thực hiện được việc này.")
            % {"status": dossier.get_status_display()}
        )


@transaction.atomic
def resubmit_dossier(
    dossier: UpwardDossier,
    *,
    keys: Iterable[str],
    achievements: dict[str, str] | None = None,
    letter: str = "",
    by: User,
) -> UpwardDossier:
    """After a return: the school's corrected dossier as a new version (the old one kept)."""
    dossier = _locked(dossier)
    _require_status(dossier, DossierStatus.RETURNED)
    chosen = _chosen(dossier.campaign, keys)
    dossier.current = _new_version(
        dossier, chosen, achievements=achievements or {}, letter=letter, by=by
    )
    dossier.status = DossierStatus.SUBMITTED
    stamp(dossier, by, _("Gửi lại hồ sơ (lần %(n)d)") % {"n": dossier.current.number})
    dossier.save(update_fields=["current", "status"])
    _event(dossier, DossierAction.RESUBMITTED, by=by, organisation_id=dossier.school_id)
    notices.dossier_submitted(dossier, by=by)
    return dossier


@transaction.atomic
def return_dossier(dossier: UpwardDossier, *, reason: str, by: User) -> UpwardDossier:
    """The Sở sends the dossier back to be completed, with its reason."""
    dossier = _locked(dossier)
    _require_status(dossier, DossierStatus.SUBMITTED, DossierStatus.ACCEPTED)
    if not reason.strip():
        raise EmulationError(_("Hãy ghi lý do trả lại hồ sơ để trường bổ sung."))
    dossier.status = DossierStatus.RETURNED
    stamp(dossier, by, _("Trả lại: %(reason)s") % {"reason": reason.strip()[:400]})
    dossier.save(update_fields=["status"])
    _event(
        dossier,
        DossierAction.RETURNED,
        by=by,
        organisation_id=dossier.body_id,
        reason=reason.strip(),
    )
    notices.dossier_returned(dossier, reason.strip(), by=by)
    return dossier


@transaction.atomic
def accept_dossier(dossier: UpwardDossier, *, by: User) -> UpwardDossier:
    """The Sở takes the dossier in for its council."""
    dossier = _locked(dossier)
    _require_status(dossier, DossierStatus.SUBMITTED)
    dossier.status = DossierStatus.ACCEPTED
    stamp(dossier, by, _("Tiếp nhận hồ sơ"))
    dossier.save(update_fields=["status"])
    _event(dossier, DossierAction.ACCEPTED, by=by, organisation_id=dossier.body_id)
    notices.dossier_accepted(dossier, by=by)
    return dossier


@transaction.atomic
def decide_dossier(
    dossier: UpwardDossier,
    *,
    symbol: str,
    on: dt.date,
    issuer: str,
    outcomes: dict[int, tuple[bool, str]],
    by: User,
) -> UpwardDossier:
    """The decision on an accepted dossier: its number, day and issuer, and for every item of the
    current version awarded or not (with a note). Awarded titles go into the year's titles at the
    school."""
    dossier = _locked(dossier)
    _require_status(dossier, DossierStatus.ACCEPTED)
    if not symbol.strip():
        raise EmulationError(_("Hãy ghi số, ký hiệu của quyết định."))
    if on > today():
        raise EmulationError(_("Ngày quyết định không được sau hôm nay."))
    school_decision = decision_of(dossier.campaign)
    if (
        school_decision is not None
        and school_decision.proposal_on
        and on < school_decision.proposal_on
    ):
        raise EmulationError(
            _("Ngày quyết định không được trước ngày tờ trình của trường (%(day)s).")
            % {"day": format_date(school_decision.proposal_on)}
        )
    items = list(DossierItem._base_manager.filter(version=dossier.current).order_by("order"))
    missing = [item for item in items if item.pk not in outcomes]
    if missing:
        raise EmulationError(
            _("Hãy ghi kết quả cho từng đề nghị: còn thiếu %(who)s.")
            % {"who": ", ".join(item.who for item in missing)}
        )
    dossier.decision_symbol = symbol.strip()
    dossier.decision_on = on
    dossier.decision_issuer = issuer.strip() or dossier.body.name
    dossier.status = DossierStatus.DECIDED
    stamp(dossier, by, _("Quyết định: %(n)s") % {"n": dossier.decision_symbol})
    dossier.save()
    for item in items:
        item.awarded, note = outcomes[item.pk]
        item.outcome_note = note.strip()
        item.save(update_fields=["awarded", "outcome_note"])
        if item.awarded:
            _record_title(dossier, item, by=by)
    _event(dossier, DossierAction.DECIDED, by=by, organisation_id=dossier.body_id)
    notices.dossier_decided(dossier, items, by=by)
    return dossier


def _record_title(dossier: UpwardDossier, item: DossierItem, *, by: User) -> None:
    """The awarded title in the person's (or unit's) titles of the year at the school."""
    # The Sở acts: the school's rows are read by explicit filters, not through its scope.
    rows = TitleHistory._base_manager.filter(
        school_id=dossier.school_id, start_year=dossier.start_year, archived_at=None
    )
    if item.person_id is not None:
        entry = rows.filter(person_id=item.person_id).first() or TitleHistory(
            school_id=dossier.school_id,
            start_year=dossier.start_year,
            person_id=item.person_id,
            source=TitleSource.HIGHER,
        )
    else:
        entry = rows.filter(person__isnull=True, unit_id=item.unit_id).first() or TitleHistory(
            school_id=dossier.school_id,
            start_year=dossier.start_year,
            unit_id=item.unit_id,
            source=TitleSource.HIGHER,
        )
    titles = list(entry.titles or [])
    if item.title_value not in titles:
        titles.append(item.title_value)
    entry.titles = titles
    decision = dossier.decision_text
    if decision not in entry.higher_decision:
        entry.higher_decision = "; ".join(filter(None, [entry.higher_decision, decision]))[:500]
    if not entry.decision and entry.source == TitleSource.HIGHER:
        entry.decision = dossier.decision_symbol
    stamp(entry, by, _("%(title)s theo %(decision)s") % {"title": item.title, "decision": decision})
    entry.save()


# Lists -------------------------------------------------------------------------------------------


def received_dossiers(body_id: int) -> QuerySet[UpwardDossier]:
    """The dossiers sent to the body, newest year first, each with its current version's size."""
    return (
        UpwardDossier._base_manager.filter(body_id=body_id, archived_at=None)
        .select_related("school", "campaign__province_campaign", "current")
        .annotate(item_count=Count("current__items", distinct=True))
        .order_by("-start_year", "school__name", "pk")
    )


def school_dossiers(school_id: int) -> QuerySet[UpwardDossier]:
    return (
        UpwardDossier._base_manager.filter(school_id=school_id, archived_at=None)
        .select_related("body", "campaign", "current")
        .annotate(item_count=Count("current__items", distinct=True))
        .order_by("-start_year", "pk")
    )


def trail(dossier: UpwardDossier) -> list[DossierEvent]:
    return list(
        DossierEvent._base_manager.filter(dossier=dossier)
        .select_related("organisation")
        .order_by("at", "pk")
    )


def versions(dossier: UpwardDossier) -> list[DossierVersion]:
    """Every version, newest first, each with its items (two queries whatever their number)."""
    found = list(
        DossierVersion._base_manager.filter(dossier=dossier)
        .select_related("submitted_by")
        .order_by("-number")
    )
    items: dict[int, list[DossierItem]] = {}
    for item in DossierItem._base_manager.filter(version__dossier=dossier).order_by(
        "version_id", "order", "pk"
    ):
        items.setdefault(item.version_id, []).append(item)
    for version in found:
        version.item_list = items.get(version.pk, [])  # type: ignore[attr-defined]
    return found


def enclosed_paper(dossier: UpwardDossier, paper_id: int) -> IssuedPaper | None:
    """An issued paper a version of the dossier encloses (None: not one of them)."""
    enclosed = {
        entry.get("paper")
        for papers in DossierVersion._base_manager.filter(dossier=dossier).values_list(
            "papers", flat=True
        )
        for entry in papers or []
    }
    if paper_id not in enclosed:
        return None
    return (
        IssuedPaper._base_manager.filter(pk=paper_id, document__school_id=dossier.school_id)
        .select_related("document")
        .first()
    )


def format_event(event: DossierEvent) -> str:
    """ "Gửi hồ sơ (lần 1) – Phùng Quý Sơn, CĐSP Lạng Sơn, 08:30 ngày 13/6/2024"."""
    local = timezone.localtime(event.at)
    return _("%(what)s (lần %(n)d) – %(who)s, %(org)s, %(time)s ngày %(day)s") % {
        "what": event.get_action_display(),
        "n": event.version_number,
        "who": event.by_name,
        "org": event.organisation.short_name or event.organisation.name,
        "time": local.strftime("%H:%M"),
        "day": format_date(local.date()),
    }
