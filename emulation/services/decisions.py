"""The principal's decision (Quyết định công nhận danh hiệu thi đua) and the tờ trình to the level
above, each numbered once from the school's series (QĐ, TTr) and kept as issued.

Issuing the decision freezes its lists (`Decision.snapshot`: levels, titles, proposals, bonus
amounts from the base salary and the scale in force on the day it is signed), writes each
person's final level and titles on their evaluation, records the year's titles for the next
years' eligibility (`TitleHistory`, source "decided") and closes the campaign.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import stamp
from core.clock import today
from core.text import format_date
from documents.models import DocumentSystem, DocumentType
from emulation import notices
from emulation.engine import Title
from emulation.models import (
    Appeal,
    AppealStatus,
    BaseSalary,
    BonusScale,
    Campaign,
    CampaignStatus,
    CouncilItem,
    CouncilVote,
    Decision,
    Evaluation,
    ItemKind,
    Stage,
    TitleHistory,
    TitleSource,
    VoteStatus,
)
from emulation.services.common import EmulationError, ensure_open_school
from emulation.services.council import active_vote
from emulation.services.outcome import outcome, tally_text
from emulation.services.registrations import campaign_unit
from organisations.models import Organisation, Position, Role
from papers import output, registry
from papers.models import IssuedPaper
from papers.numbering import NumberingError, issue_number

DECISION_KIND = "emulation_decision"
PROPOSAL_KIND = "emulation_proposal"

_PROPOSAL_TITLES = {
    ItemKind.CSTD_HIGHER: "",  # the title itself (CSTĐ cấp tỉnh or cấp bộ)
    ItemKind.BANG_KHEN: "Bằng khen của Bộ trưởng",
    ItemKind.TTLDXS: Title.TTLDXS.label,
}


def decision_of(campaign: Campaign) -> Decision | None:
    """The campaign's decision, if issued (read once per campaign object)."""
    try:
        decision: Decision = campaign.decision
    except Decision.DoesNotExist:
        return None
    return decision


def signer_choices(campaign: Campaign, on: dt.date | None = None) -> list[Position]:
    """Who may sign: the school's leadership on the day, the principal first."""
    positions = (
        Position.objects.current(on)
        .filter(organisation_id=campaign.school_id, role=Role.LEADERSHIP)
        .select_related("person")
    )
    return sorted(positions, key=lambda p: (p.title.lower().startswith("phó"), p.order, p.pk))


def signing_block(position: Position) -> tuple[str, str, str]:
    """(mark, title, name): a deputy signs "KT. HIỆU TRƯỞNG"."""
    title = position.title
    if title.lower().startswith("phó "):
        return f"KT. {title[4:].upper()}", title, position.person.full_name
    return "", title, position.person.full_name


def _award(titles: list[str], scale: BonusScale | None, base: int | None) -> dict[str, Any]:
    """The bonus of the highest-paid title decided (one achievement, one award)."""
    best: tuple[Decimal, str] | None = None
    for title in titles:
        coefficient = scale.coefficient(title) if scale is not None else None
        if coefficient is not None and (best is None or coefficient > best[0]):
            best = (coefficient, title)
    if best is None or scale is None or base is None:
        return {"award_title": None, "coefficient": None, "amount": None}
    return {
        "award_title": best[1],
        "coefficient": str(best[0]),
        "amount": scale.amount(best[1], base),
    }


def build_snapshot(campaign: Campaign, vote: CouncilVote | None, on: dt.date) -> dict[str, Any]:
    """Every list the decision, the tờ trình and the sheets show, as plain data."""
    result = outcome(campaign, vote)
    salary = BaseSalary.in_force(on)
    scale = BonusScale.in_force(on)
    base = salary.amount if salary is not None else None
    people = []
    for person in result.people:
        row = person.as_dict()
        row.update(_award(person.titles, scale, base))
        people.append(row)
    units = []
    for unit in result.units:
        row = unit.as_dict()
        row.update(_award([unit.title] if unit.title else [], scale, base))
        units.append(row)
    items = (
        list(
            CouncilItem.objects.filter(vote=vote, passed=True)
            .exclude(kind=ItemKind.HTXS)
            .exclude(kind=ItemKind.CSTDCS)
            .select_related("evaluation__person", "evaluation__unit", "unit")
            .order_by("order", "pk")
        )
        if vote is not None
        else []
    )
    higher = result.preview.rules.higher_title
    decided_people = {row["evaluation"]: row for row in people}
    school = result.school.as_dict() if result.school is not None else None
    proposals = []
    for item in items:
        kind = ItemKind(item.kind)
        if item.evaluation is not None:
            person_row = decided_people.get(item.evaluation_id or 0)
            title = higher.label if kind == ItemKind.CSTD_HIGHER else _PROPOSAL_TITLES[kind]
            if person_row is None or (
                kind == ItemKind.CSTD_HIGHER and higher.value not in person_row["proposed"]
            ):
                continue
            name, where = item.evaluation.person.full_name, item.evaluation.unit.name
        else:
            unit_row = next((u for u in [*units, school] if u and u["unit"] == item.unit_id), None)
            if unit_row is None or unit_row["proposed"] != Title.TTLDXS.value:
                continue
            title, name = _PROPOSAL_TITLES[kind], ""
            where = item.unit.name if item.unit else ""
        proposals.append(
            {
                "kind": item.kind,
                "title": title,
                "name": name,
                "unit": where,
                "grounds": item.grounds,
                "tally": tally_text(item),
            }
        )
    if school is not None and school["proposed"] == Title.TTLDTT.value:
        # The school's TTLĐTT follows from the rules, as a unit's: proposed, not voted on.
        proposals.append(
            {
                "kind": "ttldtt",
                "title": Title.TTLDTT.label,
                "name": "",
                "unit": school["name"],
                "grounds": next((r for r in school["reasons"] if r.startswith("Đạt TTLĐTT")), ""),
                "tally": _("theo tiêu chuẩn, không bỏ phiếu"),
            }
        )
    counts = Counter(title for row in people for title in row["titles"])
    counts.update(row["title"] for row in units if row["title"])
    return {
        "year": campaign.year_label,
        "rule_set": str(result.preview.rule_set),
        "rule": vote.rule.text if vote is not None else "",
        "vote_held_on": vote.held_on.isoformat() if vote is not None else None,
        "base_salary": {
            "amount": base,
            "valid_from": salary.valid_from.isoformat() if salary else None,
            "source": salary.source if salary else "",
        },
        "scale": {
            "name": scale.name if scale else "",
            "basis": scale.basis if scale else "",
            "valid_from": scale.valid_from.isoformat() if scale else None,
            "source": scale.source if scale else "",
            "rounding": scale.rounding if scale else None,
        },
        "people": people,
        "units": units,
        "school": school,
        "proposals": proposals,
        "counts": dict(counts),
        "total": sum(row["amount"] or 0 for row in [*people, *units]),
    }


@dataclass
class Draft:
    """What issuing would write, and why it cannot yet."""

    snapshot: dict[str, Any]
    blocking: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)


def draft(campaign: Campaign, on: dt.date | None = None) -> Draft:
    day = on or today()
    vote = active_vote(campaign)
    snapshot = build_snapshot(campaign, vote, day)
    blocking: list[str] = []
    if vote is None or vote.status != VoteStatus.PUBLISHED:
        blocking.append(_("Kết quả bỏ phiếu của Hội đồng chưa được công khai."))
    elif campaign.appeals_close is not None and day <= campaign.appeals_close:
        blocking.append(
            _("Đang trong thời hạn nhận kiến nghị (đến %(day)s).")
            % {"day": format_date(campaign.appeals_close)}
        )
    pending = Appeal.objects.active().filter(campaign=campaign, status=AppealStatus.PENDING)
    if pending.exists():
        blocking.append(
            _(
                "Còn %(n)d kiến nghị chưa trả lời; không công nhận khi còn kiến nghị chưa giải quyết."
            )
            % {"n": pending.count()}
        )
    if snapshot["base_salary"]["amount"] is None or not snapshot["scale"]["name"]:
        blocking.append(_("Chưa có mức lương cơ sở hoặc hệ số tiền thưởng áp dụng vào ngày này."))
    if not campaign.school.abbreviation:
        blocking.append(
            _("%(school)s chưa có chữ viết tắt dùng trong số, ký hiệu văn bản (QĐ-…).")
            % {"school": campaign.school.name}
        )
    if Decision.objects.filter(campaign=campaign).exists():
        blocking.append(_("Phong trào này đã có quyết định công nhận."))
    return Draft(snapshot, blocking, _differences(vote, snapshot))


def _differences(vote: CouncilVote | None, snapshot: dict[str, Any]) -> list[str]:
    """Where the decision would differ from the results published to staff."""
    if vote is None or not vote.results:
        return []
    published = {row["evaluation"]: row for row in vote.results.get("people", [])}
    found = []
    for row in snapshot["people"]:
        before = published.get(row["evaluation"])
        if before is None:
            found.append(_("%(name)s: chưa có trong kết quả đã công khai.") % {"name": row["name"]})
            continue
        if (before["level"], before["titles"], before["proposed"]) != (
            row["level"],
            row["titles"],
            row["proposed"],
        ):
            found.append(
                _("%(name)s: công khai %(old)s, nay %(new)s.")
                % {
                    "name": row["name"],
                    "old": _describe(before),
                    "new": _describe(row),
                }
            )
    return found


def _describe(row: dict[str, Any]) -> str:
    parts = [row["level"] or _("không xếp loại"), *row["titles"], *row["proposed"]]
    return ", ".join(parts)


def _number(
    campaign: Campaign,
    *,
    code: str,
    kind: str,
    on: dt.date,
    summary: str,
    signer_title: str,
    by: User,
) -> IssuedPaper:
    """The next number of the school's series for the paper, its .docx written once with the
    number and kept as issued (the kind is found in the papers registry, where emulation.papers
    registered it)."""
    try:
        return issue_number(
            issuer=campaign.school,
            doc_type=DocumentType.objects.get(code=code),
            system=DocumentSystem.STATE,
            on=on,
            kind=kind,
            object_id=campaign.pk,
            summary=summary,
            signer_title=signer_title,
            by=by,
            render=lambda: output.render_word(registry.get(kind), campaign),
        )
    except NumberingError as error:
        raise EmulationError(str(error)) from error


@transaction.atomic
def issue_decision(
    campaign: Campaign,
    *,
    on: dt.date,
    signer: Position,
    by: User,
) -> Decision:
    """Ban hành: the number, the frozen lists, each person's final level and titles, the year's
    titles recorded for the years after, the campaign closed."""
    campaign = (
        Campaign._base_manager.select_for_update().select_related("school").get(pk=campaign.pk)
    )
    ensure_open_school(campaign.school_id)
    if signer not in signer_choices(campaign, on):
        raise EmulationError(_("Người ký không giữ chức vụ lãnh đạo nhà trường vào ngày ký."))
    if on > today():
        raise EmulationError(_("Ngày ký không được sau hôm nay."))
    state = draft(campaign, on)
    if state.blocking:
        raise EmulationError(" ".join(state.blocking))
    vote = active_vote(campaign)
    assert vote is not None  # draft() refuses without a published vote
    if on < vote.held_on:
        raise EmulationError(
            _("Ngày ký không được trước ngày Hội đồng họp (%(day)s).")
            % {"day": format_date(vote.held_on)}
        )
    mark, title, name = signing_block(signer)
    decision = Decision(
        campaign=campaign,
        decided_on=on,
        signer=signer.person,
        signing_mark=mark,
        signer_title=title,
        signer_name=name,
        snapshot=state.snapshot,
        issued_by=by,
    )
    stamp(decision, by, _("Ban hành quyết định công nhận danh hiệu thi đua"))
    decision.save()
    campaign.decision = decision
    issued = _number(
        campaign,
        code="QĐ",
        kind=DECISION_KIND,
        on=on,
        summary=_("Về việc công nhận danh hiệu thi đua năm học %(year)s")
        % {"year": campaign.year_label},
        signer_title=title,
        by=by,
    )
    symbol = issued.document.symbol
    _write_results(campaign, decision, symbol, by=by)
    campaign.status = CampaignStatus.CLOSED
    stamp(campaign, by, _("Kết thúc phong trào: quyết định số %(n)s") % {"n": symbol})
    campaign.save(update_fields=["status"])
    notices.decision_issued(decision, symbol, by=by)
    return decision


def _write_results(campaign: Campaign, decision: Decision, symbol: str, *, by: User) -> None:
    people = {row["evaluation"]: row for row in decision.people}
    reason = _("Quyết định số %(n)s ngày %(day)s") % {
        "n": symbol,
        "day": format_date(decision.decided_on),
    }
    evaluations = Evaluation.objects.active().filter(campaign=campaign, pk__in=list(people))
    existing = {
        entry.person_id: entry
        for entry in TitleHistory.objects.active().filter(
            school=campaign.school, start_year=campaign.start_year, person__isnull=False
        )
    }
    for evaluation in evaluations:
        row = people[evaluation.pk]
        evaluation.final_level = row["level"]
        evaluation.final_titles = row["titles"]
        evaluation.decided_on = decision.decided_on
        evaluation.stage = Stage.DECIDED
        stamp(evaluation, by, reason)
        evaluation.save()
        if not row["level"] and not row["titles"]:
            continue
        entry = existing.get(evaluation.person_id) or TitleHistory(
            school=campaign.school, start_year=campaign.start_year, person_id=evaluation.person_id
        )
        entry.unit_id = evaluation.unit_id
        entry.titles = row["titles"]
        entry.level = row["level"]
        entry.decision = symbol
        entry.source = TitleSource.DECIDED
        stamp(entry, by, reason)
        entry.save()
    units = {
        entry.unit_id: entry
        for entry in TitleHistory.objects.active().filter(
            school=campaign.school, start_year=campaign.start_year, person__isnull=True
        )
    }
    for row in decision.units:
        if not row["title"]:
            continue
        entry = units.get(row["unit"]) or TitleHistory(
            school=campaign.school, start_year=campaign.start_year, unit_id=row["unit"]
        )
        entry.titles = [row["title"]]
        entry.decision = symbol
        entry.source = TitleSource.DECIDED
        stamp(entry, by, reason)
        entry.save()
        # Each titled unit has its part in the campaign: its certificate hangs from it.
        campaign_unit(campaign, Organisation.objects.get(pk=row["unit"]))


@transaction.atomic
def issue_proposal(campaign: Campaign, *, on: dt.date, by: User) -> Decision:
    """The tờ trình to the level above for what the school proposes (CSTĐ cấp tỉnh/bộ, TTLĐXS,
    Bằng khen), after the decision, numbered once from the TTr series."""
    ensure_open_school(campaign.school_id)
    decision = Decision.objects.select_for_update().filter(campaign=campaign).first()
    if decision is None:
        raise EmulationError(_("Cần ban hành quyết định công nhận trước khi trình cấp trên."))
    if not decision.proposals:
        raise EmulationError(_("Không có đề nghị nào lên cấp trên."))
    if decision.proposal_on is not None:
        raise EmulationError(_("Tờ trình đã được ban hành."))
    if on < decision.decided_on or on > today():
        raise EmulationError(
            _("Ngày ký tờ trình phải từ ngày quyết định (%(day)s) đến hôm nay.")
            % {"day": format_date(decision.decided_on)}
        )
    decision.proposal_on = on
    decision.proposal_by = by
    stamp(decision, by, _("Ban hành tờ trình đề nghị cấp trên khen thưởng"))
    decision.save()
    campaign.decision = decision
    _number(
        campaign,
        code="TTr",
        kind=PROPOSAL_KIND,
        on=on,
        summary=_("Về việc đề nghị khen thưởng năm học %(year)s") % {"year": campaign.year_label},
        signer_title=decision.signer_title,
        by=by,
    )
    notices.proposal_issued(decision, by=by)
    return decision
