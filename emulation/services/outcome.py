"""The year's outcome once the council has voted: the engine on the data as it stands (the HTXS
ranking now the ballot's), each title that needs the council kept only when its case passed,
and which titles the school decides and which it proposes to the level above.

The head of a school decides LĐTT, CSTĐCS and TTLĐTT (Luật Thi đua, khen thưởng 2022, Art. 80
cl. 1) for its people and its working units; CSTĐ cấp tỉnh/bộ, TTLĐXS and the Minister's Bằng
khen are proposed by a tờ trình. A unit proposed for TTLĐXS meets TTLĐTT too, which the school
decides meanwhile. The school itself is never in its own decision: measured over everyone
classified, it is proposed for TTLĐXS (when the council passed it) or else TTLĐTT (by the
rules, not voted on, as a unit's TTLĐTT), both decided by the level above.

Published to staff as `CouncilVote.results` (frozen then), and frozen again, with the bonus
amounts, in the decision. Read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from emulation.engine import Level, Title
from emulation.models import Campaign, CouncilItem, CouncilVote, ItemKind
from emulation.services.classification import Preview, preview

# What the school's own decision recognises (Luật 06/2022/QH15, Art. 80 cl. 1).
DECIDED_HERE = (Title.LDTT, Title.CSTDCS, Title.TTLDTT)
BANG_KHEN = "Bằng khen của Bộ trưởng"


@dataclass
class PersonOutcome:
    evaluation_id: int
    person_id: int
    name: str
    unit_id: int
    unit: str
    level: str | None
    titles: list[str]  # decided by the school
    proposed: list[str]  # proposed to the level above
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "evaluation": self.evaluation_id,
            "person": self.person_id,
            "name": self.name,
            "unit_id": self.unit_id,
            "unit": self.unit,
            "level": self.level,
            "titles": self.titles,
            "proposed": self.proposed,
            "reasons": self.reasons,
        }


@dataclass
class UnitOutcome:
    unit_id: int
    name: str
    title: str | None
    proposed: str | None
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit_id,
            "name": self.name,
            "title": self.title,
            "proposed": self.proposed,
            "reasons": self.reasons,
        }


@dataclass
class Outcome:
    preview: Preview
    people: list[PersonOutcome]
    units: list[UnitOutcome]
    # The school as a whole: nothing decided here, what it is proposed for above.
    school: UnitOutcome | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_set": str(self.preview.rule_set),
            "people": [person.as_dict() for person in self.people],
            "units": [unit.as_dict() for unit in self.units],
            "school": self.school.as_dict() if self.school is not None else None,
        }


def tally_text(item: CouncilItem) -> str:
    """ "5/7 phiếu đồng ý (cần 4)" as the results page and the papers say it."""
    if item.yes_count is None:
        return _("chưa kiểm phiếu")
    return _("%(yes)d/%(base)d phiếu đồng ý") % {"yes": item.yes_count, "base": item.base or 0}


def items_by_case(vote: CouncilVote | None) -> dict[tuple[str, int], CouncilItem]:
    """The vote's items by (kind, evaluation id or unit id)."""
    if vote is None:
        return {}
    found: dict[tuple[str, int], CouncilItem] = {}
    for item in CouncilItem.objects.filter(vote=vote):
        key = item.evaluation_id if item.evaluation_id is not None else item.unit_id
        if key is not None:
            found[(item.kind, key)] = item
    return found


def _voted(
    items: dict[tuple[str, int], CouncilItem], kind: ItemKind, key: int, what: str
) -> tuple[bool, str]:
    item = items.get((kind, key))
    if item is None or item.passed is None:
        return False, _("%(what)s: chưa được Hội đồng bỏ phiếu.") % {"what": what}
    if item.passed:
        return True, _("%(what)s: Hội đồng tán thành, %(tally)s.") % {
            "what": what,
            "tally": tally_text(item),
        }
    return False, _("%(what)s: Hội đồng không tán thành, %(tally)s.") % {
        "what": what,
        "tally": tally_text(item),
    }


def outcome(campaign: Campaign, vote: CouncilVote | None) -> Outcome:
    """The outcome with the council's votes applied (a fixed number of queries)."""
    result = preview(campaign)
    items = items_by_case(vote)
    higher = result.rules.higher_title
    people: list[PersonOutcome] = []
    for row in result.rows:
        evaluation = row.evaluation
        level = row.result.level.value if row.result and row.result.level else None
        reasons = list(row.result.reasons) if row.result else [_("Chưa có mức đề nghị.")]
        titles: list[str] = []
        proposed: list[str] = []
        engine_titles = set(row.result.titles) if row.result else set()
        htxs = items.get((ItemKind.HTXS, evaluation.pk))
        if htxs is not None and htxs.rank is not None:
            reasons.append(
                _("Hội đồng bỏ phiếu HTXS: %(tally)s, xếp thứ %(rank)d (chỉ tiêu %(quota)s).")
                % {"tally": tally_text(htxs), "rank": htxs.rank, "quota": htxs.quota}
            )
        if Title.LDTT in engine_titles:
            titles.append(Title.LDTT.value)
        if Title.CSTDCS in engine_titles:
            passed, why = _voted(items, ItemKind.CSTDCS, evaluation.pk, Title.CSTDCS.value)
            reasons.append(why)
            if passed:
                titles.append(Title.CSTDCS.value)
        if higher in engine_titles and Title.CSTDCS.value in titles:
            passed, why = _voted(items, ItemKind.CSTD_HIGHER, evaluation.pk, higher.value)
            reasons.append(why)
            if passed:
                proposed.append(higher.value)
        bang_khen = items.get((ItemKind.BANG_KHEN, evaluation.pk))
        if bang_khen is not None:
            passed, why = _voted(items, ItemKind.BANG_KHEN, evaluation.pk, BANG_KHEN)
            reasons.append(why)
            if passed:
                proposed.append(BANG_KHEN)
        people.append(
            PersonOutcome(
                evaluation_id=evaluation.pk,
                person_id=evaluation.person_id,
                name=row.name,
                unit_id=evaluation.unit_id,
                unit=evaluation.unit.name,
                level=level,
                titles=titles,
                proposed=proposed,
                reasons=reasons,
            )
        )
    units: list[UnitOutcome] = []
    for block in result.units:
        got = block.result.title if block.result else None
        reasons = list(block.result.reasons) if block.result else []
        title = Title.TTLDTT.value if got in (Title.TTLDTT, Title.TTLDXS) else None
        up = None
        if got is Title.TTLDXS:
            passed, why = _voted(items, ItemKind.TTLDXS, block.unit.pk, Title.TTLDXS.value)
            reasons.append(why)
            if passed:
                up = Title.TTLDXS.value
            reasons.append(_("Đạt tiêu chuẩn TTLĐXS nên cũng đạt TTLĐTT; trường công nhận TTLĐTT."))
        units.append(
            UnitOutcome(
                unit_id=block.unit.pk,
                name=block.unit.name,
                title=title,
                proposed=up,
                reasons=reasons,
            )
        )
    return Outcome(
        preview=result, people=people, units=units, school=_school(campaign, result, items)
    )


def _school(
    campaign: Campaign, result: Preview, items: dict[tuple[str, int], CouncilItem]
) -> UnitOutcome | None:
    """What the school as a whole is proposed for to the level above (never decided here)."""
    school = result.school
    if school is None:
        return None
    reasons = list(school.reasons)
    proposed: str | None = None
    if school.title is Title.TTLDXS:
        passed, why = _voted(items, ItemKind.TTLDXS, campaign.school_id, Title.TTLDXS.value)
        reasons.append(why)
        proposed = Title.TTLDXS.value if passed else Title.TTLDTT.value
    elif school.title is Title.TTLDTT:
        proposed = Title.TTLDTT.value
    reasons.append(
        _("Danh hiệu tập thể của trường do cấp trên xét; trường đề nghị trong tờ trình.")
        if proposed
        else _("Trường chưa đủ tiêu chuẩn để đề nghị danh hiệu tập thể.")
    )
    return UnitOutcome(
        unit_id=campaign.school_id,
        name=campaign.school.name,
        title=None,
        proposed=proposed,
        reasons=reasons,
    )


def level_of(level: str | None) -> Level | None:
    return Level(level) if level else None
