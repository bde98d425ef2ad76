"""What the council votes on: the cases read off the classification preview (the engine on the
year's data with the rule set in force).

- **HTXS over the quota**: in a unit and group of similar tasks where more people are proposed
  HTXS than the quota allows, every candidate; the ballot ranks them (most "yes" first) and the
  first ones, as many as the quota, keep HTXS.
- **CSTĐCS**: everyone the rules give Chiến sĩ thi đua cơ sở (LĐTT and an initiative this year).
- **CSTĐ cấp tỉnh/bộ**: everyone the rules give it, to be proposed to the level above.
- **Bằng khen của Bộ trưởng**: CSTĐCS this year and the year before, or HTXS both years with two
  initiatives or research topics recognised over them (TT 29/2023/TT-BGDĐT Art. 9 as
  docs/PRODUCT.md reads it), to be proposed.
- **TTLĐXS**: the units the rules give it, and the school as a whole when the rules give it
  (over everyone classified), to be proposed.

LĐTT, the levels within the quota and TTLĐTT follow from the rules and are not voted on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from emulation.engine import Level, SchoolYear, Title
from emulation.models import Campaign, Evaluation, InitiativeAuthor, ItemKind, TitleHistory
from emulation.services.classification import Preview, Row
from organisations.models import Organisation


@dataclass
class Case:
    kind: ItemKind
    evaluation: Evaluation | None = None
    unit: Organisation | None = None
    group: str = ""
    quota: int | None = None
    grounds: str = ""


def _reason(row: Row, start: str) -> str:
    reasons = row.result.reasons if row.result is not None else ()
    return next((reason for reason in reasons if reason.startswith(start)), "")


def cases(campaign: Campaign, preview: Preview) -> list[Case]:
    """The council's cases, in the order of the ballot paper: HTXS groups, then each title."""
    open_titles = set(campaign.open_titles)
    found: list[Case] = []
    for check in preview.quota:
        label = f"{check.unit.name} – {check.group}"
        grounds = (
            f"{len(check.candidates)} người đề nghị HTXS, chỉ tiêu {check.quota} "
            f"({check.share} của {check.base} người HTT, HTXS, làm tròn xuống)."
        )
        found.extend(
            Case(ItemKind.HTXS, row.evaluation, group=label, quota=check.quota, grounds=grounds)
            for row in check.candidates
        )
    rows = [row for row in preview.rows if row.result is not None]
    higher = preview.rules.higher_title
    if Title.CSTDCS in open_titles:
        found.extend(
            Case(ItemKind.CSTDCS, row.evaluation, grounds=_reason(row, "Đạt CSTĐCS"))
            for row in rows
            if row.result is not None and Title.CSTDCS in row.result.titles
        )
    if higher in open_titles:
        found.extend(
            Case(ItemKind.CSTD_HIGHER, row.evaluation, grounds=_reason(row, f"Đạt {higher.value}"))
            for row in rows
            if row.result is not None and higher in row.result.titles
        )
    for row, grounds in bang_khen(campaign, rows):
        found.append(Case(ItemKind.BANG_KHEN, row.evaluation, grounds=grounds))
    if Title.TTLDXS in open_titles:
        for block in preview.units:
            if block.result is not None and block.result.title is Title.TTLDXS:
                grounds = next((r for r in block.result.reasons if r.startswith("Đạt TTLĐXS")), "")
                found.append(Case(ItemKind.TTLDXS, unit=block.unit, grounds=grounds))
        school = preview.school
        if school is not None and school.title is Title.TTLDXS:
            grounds = next((r for r in school.reasons if r.startswith("Đạt TTLĐXS")), "")
            found.append(Case(ItemKind.TTLDXS, unit=campaign.school, grounds=grounds))
    return found


def bang_khen(campaign: Campaign, rows: list[Row]) -> list[tuple[Row, str]]:
    """Who may be proposed for the Minister's Bằng khen, with why: two queries."""
    people = [row.evaluation.person_id for row in rows]
    last = campaign.start_year - 1
    history = {
        entry.person_id: entry
        for entry in TitleHistory.objects.active().filter(person_id__in=people, start_year=last)
    }
    counted: dict[int, int] = defaultdict(int)
    for person_id in InitiativeAuthor._base_manager.filter(
        person_id__in=people,
        initiative__school_id=campaign.school_id,
        initiative__archived_at__isnull=True,
        initiative__recognised_on__isnull=False,
        initiative__start_year__in=[last, campaign.start_year],
    ).values_list("person_id", flat=True):
        counted[person_id] += 1
    years = f"{SchoolYear(last)}, {campaign.year.__str__()}"
    found: list[tuple[Row, str]] = []
    for row in rows:
        result = row.result
        if result is None:
            continue
        before = history.get(row.evaluation.person_id)
        if Title.CSTDCS in result.titles and before and Title.CSTDCS in before.title_values:
            found.append((row, f"CSTĐCS hai năm liên tục ({years})."))
        elif (
            result.level is Level.HTXS
            and before is not None
            and before.level == Level.HTXS
            and counted[row.evaluation.person_id] >= 2
        ):
            found.append(
                (
                    row,
                    f"Hoàn thành xuất sắc nhiệm vụ hai năm liên tục ({years}) và "
                    f"{counted[row.evaluation.person_id]} sáng kiến, đề tài được công nhận.",
                )
            )
    return found
