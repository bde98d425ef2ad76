"""The year's classification and emulation titles, computed from facts, each outcome explained.

Pure: no ORM and no Django. Typed facts in (`Person`, `Unit`, `Rules`), typed results out
(`Evaluation`), every outcome with its reasons in Vietnamese. The same engine serves the
`evaluate_emulation` command (through `emulation.exchange`) and, later, the pages.

The rules, applied in this order (issue 14; the values are `Rules`, dated data from a
`emulation.models.RuleSet`, never constants here):

1. months worked in the year < ``min_months_classified`` → not classified (level ``None``),
   except on maternity leave when ``maternity_classified``: classified on the time actually
   worked (NĐ 90/2020 Art. 2 cl. 3);
2. otherwise disciplined in the year, at any level → KHT;
3. otherwise the proposed level (after self-assessment and the unit's review), at most
   ``leave_cap_level`` (HT) when absent on leave the law allows, other than maternity leave,
   for ``leave_cap_months`` (3) months or more (NĐ 90/2020 Art. 2 cl. 3: "từ 03 tháng đến dưới
   06 tháng"; from 6 months the months worked fall under rule 1);
4. per (unit, group of similar tasks): at most ``floor(htxs_quota × n)`` HTXS, where n is the
   number at HTT or HTXS after 1–3; when more are at HTXS, the council's ranking (1 first; no
   rank → after the ranked ones; ties and the unranked by id) keeps the first ones, the others
   fall to HTT;
5. LĐTT: HTT or HTXS, at least ``ldtt_min_months`` worked, no discipline;
   CSTĐCS: LĐTT and an initiative (or accepted research) recognised this year at school scope or
   wider; CSTĐ cấp tỉnh (cấp bộ for a school under a ministry): CSTĐCS this year and in the
   ``cstd_higher_streak - 1`` school years just before, and an initiative of province/ministry
   scope or wider;
6. a unit: TTLĐXS when every classified member is at HT or above, at least
   ``ttldxs_min_share`` of the classified are LĐTT, at least one is CSTĐCS and nobody is
   disciplined at ``collective_discipline_bar`` or above; otherwise TTLĐTT when more than
   ``ttldtt_min_share`` of the classified are LĐTT and nobody is disciplined at that bar or
   above. A unit gets the higher title only; a unit given with ``excluded`` (the school
   itself, its leadership, the Party and mass organisations: the pages say which) gets none,
   with that reason. `collective` applies the same rule to the school as a whole.

Differences from the legal texts found while checking them are recorded with the rule sets
(`emulation/data/rule_sets.json`, field ``notes``); the engine implements the issue's rules.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    HTXS = "HTXS"
    HTT = "HTT"
    HT = "HT"
    KHT = "KHT"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]

    @property
    def label(self) -> str:
        return f"{_LEVEL_NAMES[self]} ({self.value})"


_LEVEL_RANK = {Level.KHT: 0, Level.HT: 1, Level.HTT: 2, Level.HTXS: 3}
_LEVEL_NAMES = {
    Level.HTXS: "Hoàn thành xuất sắc nhiệm vụ",
    Level.HTT: "Hoàn thành tốt nhiệm vụ",
    Level.HT: "Hoàn thành nhiệm vụ",
    Level.KHT: "Không hoàn thành nhiệm vụ",
}


class Discipline(StrEnum):
    """Disciplinary measures for viên chức, lightest first (Luật Viên chức, Art. 52)."""

    REPRIMAND = "khiển trách"
    WARNING = "cảnh cáo"
    REMOVAL = "cách chức"
    DISMISSAL = "buộc thôi việc"

    @property
    def severity(self) -> int:
        return list(Discipline).index(self)


class Scope(StrEnum):
    """How far an initiative (sáng kiến) or research recognised this year has effect."""

    SCHOOL = "school"
    PROVINCE = "province"  # province or ministry
    NATIONAL = "national"

    @property
    def rank(self) -> int:
        return list(Scope).index(self)

    @property
    def label(self) -> str:
        return _SCOPE_NAMES[self]


_SCOPE_NAMES = {
    Scope.SCHOOL: "cấp cơ sở",
    Scope.PROVINCE: "cấp tỉnh/bộ",
    Scope.NATIONAL: "toàn quốc",
}


class Title(StrEnum):
    LDTT = "LĐTT"
    CSTDCS = "CSTĐCS"
    CSTD_PROVINCE = "CSTĐ cấp tỉnh"
    CSTD_MINISTRY = "CSTĐ cấp bộ"
    TTLDTT = "TTLĐTT"
    TTLDXS = "TTLĐXS"

    @property
    def label(self) -> str:
        return f"{_TITLE_NAMES[self]} ({self.value})"

    @property
    def is_individual(self) -> bool:
        return self in INDIVIDUAL_TITLES


_TITLE_NAMES = {
    Title.LDTT: "Lao động tiên tiến",
    Title.CSTDCS: "Chiến sĩ thi đua cơ sở",
    Title.CSTD_PROVINCE: "Chiến sĩ thi đua cấp tỉnh",
    Title.CSTD_MINISTRY: "Chiến sĩ thi đua cấp bộ",
    Title.TTLDTT: "Tập thể lao động tiên tiến",
    Title.TTLDXS: "Tập thể lao động xuất sắc",
}
INDIVIDUAL_TITLES = frozenset({Title.LDTT, Title.CSTDCS, Title.CSTD_PROVINCE, Title.CSTD_MINISTRY})
_UNIT_TITLE_RANK: dict[Title | None, int] = {None: 0, Title.TTLDTT: 1, Title.TTLDXS: 2}

_YEAR = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")


@dataclass(frozen=True, order=True)
class SchoolYear:
    """A school year, "2023-2024", known by the calendar year it starts in."""

    start: int

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        match = _YEAR.match(text.strip())
        if not match or int(match[2]) != int(match[1]) + 1:
            raise ValueError(
                f'năm học {text!r} không đúng dạng; ví dụ đúng: "2023-2024" (hai năm liền nhau)'
            )
        return cls(int(match[1]))

    def __str__(self) -> str:
        return f"{self.start}-{self.start + 1}"

    def before(self, years: int = 1) -> SchoolYear:
        return SchoolYear(self.start - years)

    @property
    def end(self) -> dt.date:
        """The day a year's evaluation looks at: 31/5 of its second calendar year."""
        return dt.date(self.start + 1, 5, 31)


@dataclass(frozen=True)
class Rules:
    """The values the rules take, from the rule set in force (defaults: the 2024 national set)."""

    htxs_quota: Decimal = Decimal("0.2")
    min_months_classified: Decimal = Decimal(6)
    ldtt_min_months: Decimal = Decimal(10)
    ttldtt_min_share: Decimal = Decimal("0.5")  # more than this share of the classified
    ttldxs_min_share: Decimal = Decimal("0.7")  # at least this share of the classified
    cstd_higher_streak: int = 3  # CSTĐCS in this many consecutive years, this one included
    # The lightest discipline of a member that bars a collective title (None: none bars it).
    collective_discipline_bar: Discipline | None = Discipline.WARNING
    # A school under a ministry proposes "CSTĐ cấp bộ" instead of "CSTĐ cấp tỉnh".
    under_ministry: bool = False
    # What the year's computed evidence is checked against (NĐ 90/2020 Art. 12–13), read by
    # emulation.facts.evidence_notes, not by the engine: the level stays the proposal's.
    htt_on_time_share: Decimal = Decimal(1)  # of the tasks due, done on time (HTT, HTXS)
    htxs_ahead_share: Decimal = Decimal("0.5")  # of the tasks done, done beyond what was asked
    manager_targets_share: Decimal = Decimal(1)  # of the unit's measured targets, met (managers)
    # NĐ 90/2020 Art. 2 cl. 3: leave (other than maternity leave) from this many months caps
    # the level at `leave_cap_level`; maternity leave is classified on the time actually worked.
    leave_cap_months: Decimal = Decimal(3)
    leave_cap_level: Level = Level.HT
    maternity_classified: bool = True

    @property
    def higher_title(self) -> Title:
        return Title.CSTD_MINISTRY if self.under_ministry else Title.CSTD_PROVINCE


@dataclass(frozen=True)
class Unit:
    id: str
    # Why the unit is not considered for a collective title (None: it is). Its people are
    # classified and counted in their quotas all the same. The exchange format gives none.
    excluded: str | None = None


@dataclass(frozen=True)
class Person:
    id: str
    unit: str
    group: str
    months_worked: Decimal
    proposed: Level
    discipline: Discipline | None = None
    council_rank: int | None = None
    initiative: Scope | None = None
    # Titles of the school years before the evaluated one, by year.
    history: Mapping[SchoolYear, frozenset[Title]] = field(default_factory=dict)
    # Months absent in the year on leave the law allows (sick, unpaid…), maternity leave apart.
    leave_months: Decimal = Decimal(0)
    # On maternity leave in the year (chế độ thai sản).
    maternity: bool = False


@dataclass(frozen=True)
class PersonResult:
    level: Level | None
    titles: tuple[Title, ...]
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": None if self.level is None else self.level.value,
            "titles": [title.value for title in self.titles],
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class UnitResult:
    title: Title | None
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": None if self.title is None else self.title.value,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Evaluation:
    people: dict[str, PersonResult]
    units: dict[str, UnitResult]

    def to_dict(self) -> dict[str, Any]:
        """The exchange format's result: people and units in the order of their ids."""
        return {
            "people": {
                key: self.people[key].to_dict() for key in sorted(self.people, key=natural_key)
            },
            "units": {
                key: self.units[key].to_dict() for key in sorted(self.units, key=natural_key)
            },
        }


class EngineInputError(ValueError):
    """Facts the rules cannot be applied to; the message is for the user (Vietnamese)."""


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Order ids as people read them: "P2" before "P10"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    )


def unit_title_rank(title: Title | None) -> int:
    return _UNIT_TITLE_RANK[title]


def evaluate(
    year: SchoolYear, units: Sequence[Unit], people: Sequence[Person], rules: Rules
) -> Evaluation:
    """Levels, titles and reasons for every person and unit of the year."""
    _check(year, units, people)
    ordered = sorted(people, key=lambda person: natural_key(person.id))
    levels: dict[str, Level | None] = {}
    reasons: dict[str, list[str]] = {}
    for person in ordered:
        levels[person.id], reasons[person.id] = _level(person, rules)

    quota_notes = _apply_quota(ordered, levels, reasons, rules)

    results: dict[str, PersonResult] = {}
    for person in ordered:
        titles, title_reasons = _titles(year, person, levels[person.id], rules)
        results[person.id] = PersonResult(
            levels[person.id], titles, tuple(reasons[person.id] + title_reasons)
        )

    members: dict[str, list[Person]] = defaultdict(list)
    for person in ordered:
        members[person.unit].append(person)
    unit_results = {
        unit.id: _unit(unit, members[unit.id], results, quota_notes[unit.id], rules)
        for unit in units
    }
    return Evaluation(results, unit_results)


def _check(year: SchoolYear, units: Sequence[Unit], people: Sequence[Person]) -> None:
    unit_ids: set[str] = set()
    for unit in units:
        if unit.id in unit_ids:
            raise EngineInputError(f"mã đơn vị {unit.id!r} lặp lại")
        unit_ids.add(unit.id)
    person_ids: set[str] = set()
    for person in people:
        if person.id in person_ids:
            raise EngineInputError(f"mã người {person.id!r} lặp lại")
        person_ids.add(person.id)
        if person.unit not in unit_ids:
            raise EngineInputError(
                f"người {person.id!r} thuộc đơn vị {person.unit!r} không có trong danh sách đơn vị"
            )
        later = sorted(past for past in person.history if past >= year)
        if later:
            raise EngineInputError(
                f"người {person.id!r}: năm {later[0]} trong lịch sử không trước năm xét {year}"
            )


def _level(person: Person, rules: Rules) -> tuple[Level | None, list[str]]:
    notes: list[str] = []
    if person.months_worked < rules.min_months_classified:
        if not (person.maternity and rules.maternity_classified):
            return None, [
                f"Không xếp loại: thời gian công tác trong năm {months(person.months_worked)} "
                f"tháng, dưới {months(rules.min_months_classified)} tháng."
            ]
        notes.append(
            f"Nghỉ chế độ thai sản: công tác {months(person.months_worked)} tháng, dưới "
            f"{months(rules.min_months_classified)} tháng nhưng vẫn xếp loại theo thời gian làm "
            "việc thực tế (Nghị định 90/2020/NĐ-CP, Điều 2 khoản 3)."
        )
    if person.discipline is not None:
        note = (
            ""
            if person.proposed is Level.KHT
            else f", không theo mức đề xuất {person.proposed.value}"
        )
        return Level.KHT, [
            *notes,
            f"Bị kỷ luật trong năm ({person.discipline.value}): xếp loại {Level.KHT.label}{note}.",
        ]
    notes.append(
        f"Xếp loại theo mức đề xuất sau tự đánh giá và xét của đơn vị: {person.proposed.label}."
    )
    cap = rules.leave_cap_level
    if person.leave_months >= rules.leave_cap_months and person.proposed.rank > cap.rank:
        notes.append(
            f"Nghỉ không tham gia công tác {months(person.leave_months)} tháng trong năm theo quy "
            f"định (từ {months(rules.leave_cap_months)} tháng): xếp loại không cao hơn "
            f"{cap.label}, không theo mức đề xuất {person.proposed.value} (Nghị định "
            "90/2020/NĐ-CP, Điều 2 khoản 3)."
        )
        return cap, notes
    return person.proposed, notes


def _rank_key(person: Person) -> tuple[int, int, tuple[tuple[int, int | str], ...]]:
    if person.council_rank is None:
        return (1, 0, natural_key(person.id))
    return (0, person.council_rank, natural_key(person.id))


def _rank_text(person: Person) -> str:
    if person.council_rank is None:
        return f"{person.id} (không có thứ hạng)"
    return f"{person.id} (thứ {person.council_rank})"


def _apply_quota(
    people: Sequence[Person],
    levels: dict[str, Level | None],
    reasons: dict[str, list[str]],
    rules: Rules,
) -> dict[str, list[str]]:
    """Rule 4, in place on `levels` and `reasons`; returns each unit's notes on its groups."""
    groups: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for person in people:
        groups[(person.unit, person.group)].append(person)
    notes: dict[str, list[str]] = defaultdict(list)
    for (unit, group), members in sorted(
        groups.items(), key=lambda item: (natural_key(item[0][0]), natural_key(item[0][1]))
    ):
        base = sum(1 for member in members if levels[member.id] in (Level.HTT, Level.HTXS))
        quota = math.floor(rules.htxs_quota * base)
        candidates = sorted(
            (member for member in members if levels[member.id] is Level.HTXS), key=_rank_key
        )
        if not candidates:
            continue
        where = f"đơn vị {unit}, nhóm {group}"
        limit = (
            f"chỉ tiêu {quota} = ⌊{percent(rules.htxs_quota)} × {base} người xếp loại HTT "
            f"hoặc HTXS⌋"
        )
        if len(candidates) <= quota:
            for member in candidates:
                reasons[member.id].append(
                    f"Trong chỉ tiêu HTXS của {where}: {len(candidates)} người ở mức HTXS, {limit}."
                )
            continue
        kept, fallen = candidates[:quota], candidates[quota:]
        kept_text = ", ".join(_rank_text(member) for member in kept) or "không ai"
        fallen_text = ", ".join(_rank_text(member) for member in fallen)
        for member in kept:
            reasons[member.id].append(
                f"Trong chỉ tiêu HTXS của {where}: {len(candidates)} người ở mức HTXS, {limit}; "
                f"theo thứ hạng của Hội đồng thi đua – khen thưởng, giữ HTXS: {kept_text}; "
                f"hạ xuống HTT: {fallen_text}."
            )
        for member in fallen:
            if quota == 0:
                why = "chỉ tiêu bằng 0 nên không ai giữ được HTXS"
            elif member.council_rank is None:
                why = "không có thứ hạng của Hội đồng nên xếp sau những người có thứ hạng"
            else:
                why = f"Hội đồng xếp thứ {member.council_rank}"
                tied = [other.id for other in kept if other.council_rank == member.council_rank]
                if tied:
                    why += f", cùng thứ hạng với {', '.join(tied)} nên xếp theo mã người"
            reasons[member.id].append(
                f"Vượt chỉ tiêu HTXS của {where}: {len(candidates)} người ở mức HTXS, {limit}; "
                f"giữ HTXS: {kept_text}; {member.id}: {why} → hạ xuống {Level.HTT.label}."
            )
            levels[member.id] = Level.HTT
        notes[unit].append(
            f"Nhóm {group}: {len(candidates)} người ở mức HTXS, {limit}; "
            f"giữ HTXS: {kept_text}; hạ xuống HTT: {fallen_text}."
        )
    return notes


def _titles(
    year: SchoolYear, person: Person, level: Level | None, rules: Rules
) -> tuple[tuple[Title, ...], list[str]]:
    if level is None:
        return (), ["Không xét danh hiệu thi đua vì không được xếp loại."]
    missing: list[str] = []
    if level not in (Level.HTT, Level.HTXS):
        missing.append(f"xếp loại {level.value} (cần HTT trở lên)")
    if person.months_worked < rules.ldtt_min_months:
        missing.append(
            f"công tác {months(person.months_worked)} tháng "
            f"(cần từ {months(rules.ldtt_min_months)} tháng)"
        )
    if person.discipline is not None:
        missing.append(f"bị kỷ luật trong năm ({person.discipline.value})")
    higher = rules.higher_title
    if missing:
        return (), [
            f"Không đạt LĐTT: {'; '.join(missing)}.",
            f"Không xét CSTĐCS, {higher.value} vì không đạt LĐTT.",
        ]
    titles = [Title.LDTT]
    notes = [
        f"Đạt LĐTT: xếp loại {level.value}, công tác {months(person.months_worked)} tháng "
        f"(từ {months(rules.ldtt_min_months)} tháng), không bị kỷ luật."
    ]
    if person.initiative is None:
        notes.append(
            "Không đạt CSTĐCS: không có sáng kiến hoặc đề tài khoa học được công nhận trong năm; "
            f"do đó không xét {higher.value}."
        )
        return tuple(titles), notes
    titles.append(Title.CSTDCS)
    notes.append(
        "Đạt CSTĐCS: đạt LĐTT và có sáng kiến hoặc đề tài được công nhận trong năm "
        f"(phạm vi {person.initiative.label})."
    )
    earlier = [year.before(back) for back in range(1, rules.cstd_higher_streak)]
    without = [str(past) for past in earlier if Title.CSTDCS not in person.history.get(past, ())]
    missing = []
    if without:
        missing.append(
            f"chưa có CSTĐCS năm {', '.join(sorted(without))} (cần CSTĐCS "
            f"{rules.cstd_higher_streak} năm liên tục đến năm nay)"
        )
    if person.initiative.rank < Scope.PROVINCE.rank:
        missing.append(
            f"sáng kiến có phạm vi {person.initiative.label} (cần {Scope.PROVINCE.label} trở lên)"
        )
    if missing:
        notes.append(f"Không đạt {higher.value}: {'; '.join(missing)}.")
        return tuple(titles), notes
    titles.append(higher)
    streak = ", ".join(str(past) for past in [*reversed(earlier), year])
    notes.append(
        f"Đạt {higher.value}: CSTĐCS {rules.cstd_higher_streak} năm liên tục ({streak}) và "
        f"sáng kiến phạm vi {person.initiative.label}."
    )
    return tuple(titles), notes


def collective(
    members: Sequence[Person], results: Mapping[str, PersonResult], rules: Rules
) -> UnitResult:
    """Rule 6 on any collective of people already evaluated (`results` of `evaluate`): the
    school as a whole, proposed to the level above, whose members are in several units."""
    return _unit(Unit("*"), members, results, (), rules)


def _unit(
    unit: Unit,
    members: Sequence[Person],
    results: Mapping[str, PersonResult],
    quota_notes: Sequence[str],
    rules: Rules,
) -> UnitResult:
    if unit.excluded:
        return UnitResult(None, (f"Không xét danh hiệu tập thể: {unit.excluded}.", *quota_notes))
    classified = [member for member in members if results[member.id].level is not None]
    if not classified:
        return UnitResult(
            None,
            (
                "Không xét danh hiệu tập thể: đơn vị không có thành viên được xếp loại.",
                *quota_notes,
            ),
        )
    total = len(classified)
    ldtt = sum(1 for member in classified if Title.LDTT in results[member.id].titles)
    cstdcs = [member.id for member in classified if Title.CSTDCS in results[member.id].titles]
    below_ht = [member.id for member in classified if results[member.id].level is Level.KHT]
    bar = rules.collective_discipline_bar
    barred = (
        []
        if bar is None
        else [
            f"{member.id} ({member.discipline.value})"
            for member in members
            if member.discipline is not None and member.discipline.severity >= bar.severity
        ]
    )
    share = f"{ldtt}/{total} thành viên được xếp loại đạt LĐTT ({ratio(ldtt, total)})"
    discipline_ok = (
        "không xét kỷ luật của thành viên"
        if bar is None
        else f"không ai bị kỷ luật từ {bar.value} trở lên"
    )
    discipline_bad = (
        f"bị kỷ luật từ {bar.value} trở lên: {', '.join(barred)}" if bar and barred else ""
    )

    xs_missing: list[str] = []
    if below_ht:
        xs_missing.append(f"có thành viên xếp loại KHT: {', '.join(below_ht)}")
    if Decimal(ldtt) < rules.ttldxs_min_share * total:
        xs_missing.append(f"{share}, cần từ {percent(rules.ttldxs_min_share)}")
    if not cstdcs:
        xs_missing.append("không có thành viên đạt CSTĐCS")
    if barred:
        xs_missing.append(discipline_bad)
    if not xs_missing:
        return UnitResult(
            Title.TTLDXS,
            (
                f"Đạt TTLĐXS: tất cả {total} thành viên được xếp loại đều từ HT trở lên; {share}, "
                f"từ {percent(rules.ttldxs_min_share)}; có {len(cstdcs)} CSTĐCS "
                f"({', '.join(cstdcs)}); {discipline_ok}.",
                "Đơn vị chỉ nhận danh hiệu cao hơn (TTLĐXS), không xét thêm TTLĐTT.",
                *quota_notes,
            ),
        )
    xs_reason = f"Không đạt TTLĐXS: {'; '.join(xs_missing)}."
    tt_missing: list[str] = []
    if not Decimal(ldtt) > rules.ttldtt_min_share * total:
        tt_missing.append(f"{share}, cần trên {percent(rules.ttldtt_min_share)}")
    if barred:
        tt_missing.append(discipline_bad)
    if tt_missing:
        return UnitResult(
            None, (xs_reason, f"Không đạt TTLĐTT: {'; '.join(tt_missing)}.", *quota_notes)
        )
    return UnitResult(
        Title.TTLDTT,
        (
            xs_reason,
            f"Đạt TTLĐTT: {share}, trên {percent(rules.ttldtt_min_share)}; {discipline_ok}.",
            *quota_notes,
        ),
    )


def months(value: Decimal | int) -> str:
    """12 → "12", 5.5 → "5,5" (Vietnamese decimal comma)."""
    number = Decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f").replace(".", ",")


def percent(share: Decimal) -> str:
    """0.2 → "20%", 0.125 → "12,5%"."""
    return f"{months(share * 100)}%"


def ratio(part: int, whole: int) -> str:
    """8, 10 → "80%"; 2, 3 → "66,7%" (one decimal when not whole)."""
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
    return f"{months(value)}%"
