"""The engine, rule by rule, on hand-made cases (issue 14's rules, in their order)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from emulation.engine import (
    Discipline,
    EngineInputError,
    Level,
    Rules,
    SchoolYear,
    Title,
    Unit,
    evaluate,
    natural_key,
)
from emulation.exchange import parse
from emulation.tests.cases import ISSUE_EXAMPLE, YEAR, person, run, team


def reasons(result: object) -> str:
    return " | ".join(result.reasons)  # type: ignore[attr-defined]


# 1. Months worked: not classified, and this rule comes first.


def test_under_six_months_is_not_classified() -> None:
    result = run([person("P01", "HTXS", months=5.5)]).people["P01"]
    assert result.level is None
    assert result.titles == ()
    assert "Không xếp loại" in reasons(result) and "5,5 tháng" in reasons(result)
    assert "dưới 6 tháng" in reasons(result)


def test_exactly_six_months_is_classified() -> None:
    assert run([person("P01", "HT", months=6)]).people["P01"].level is Level.HT


def test_too_few_months_wins_over_discipline() -> None:
    result = run([person("P01", "HTT", months=3, discipline="cảnh cáo")]).people["P01"]
    assert result.level is None


def test_the_months_threshold_is_data() -> None:
    rules = Rules(min_months_classified=Decimal(8))
    assert run([person("P01", months=7)], rules).people["P01"].level is None
    assert run([person("P01", months=8)], rules).people["P01"].level is Level.HTT


# 2. Discipline at any level: KHT.


@pytest.mark.parametrize("discipline", [d.value for d in Discipline])
def test_any_discipline_in_the_year_is_kht(discipline: str) -> None:
    result = run([person("P01", "HTXS", discipline=discipline, rank=1)]).people["P01"]
    assert result.level is Level.KHT
    assert f"Bị kỷ luật trong năm ({discipline})" in reasons(result)
    assert "không theo mức đề xuất HTXS" in reasons(result)


# 3. Otherwise the proposed level.


@pytest.mark.parametrize("level", ["HTT", "HT", "KHT"])
def test_otherwise_the_proposed_level(level: str) -> None:
    result = run([person("P01", level)]).people["P01"]
    assert result.level is Level(level)
    assert "theo mức đề xuất" in reasons(result)


# 4. The HTXS quota per (unit, group).


def test_quota_is_a_fifth_of_those_at_htt_or_htxs_and_the_council_ranking_decides() -> None:
    # 10 at HTT or HTXS → quota 2; four proposed HTXS ranked 3, 1, none, 2.
    people = [
        person("P01", "HTXS", rank=3),
        person("P02", "HTXS", rank=1),
        person("P03", "HTXS"),
        person("P04", "HTXS", rank=2),
        *team(6),
    ]
    result = run(people)
    levels = {pid: result.people[pid].level for pid in ("P01", "P02", "P03", "P04")}
    assert levels == {"P01": Level.HTT, "P02": Level.HTXS, "P03": Level.HTT, "P04": Level.HTXS}
    fell = reasons(result.people["P01"])
    assert "Vượt chỉ tiêu HTXS của đơn vị K1, nhóm GV" in fell
    assert "chỉ tiêu 2 = ⌊20% × 10" in fell
    assert "giữ HTXS: P02 (thứ 1), P04 (thứ 2)" in fell
    assert "P01: Hội đồng xếp thứ 3 → hạ xuống Hoàn thành tốt nhiệm vụ (HTT)" in fell
    unranked = reasons(result.people["P03"])
    assert "không có thứ hạng của Hội đồng nên xếp sau những người có thứ hạng" in unranked
    kept = reasons(result.people["P02"])
    assert "Trong chỉ tiêu HTXS" in kept
    assert "hạ xuống HTT: P01 (thứ 3), P03 (không có thứ hạng)" in kept
    unit = reasons(result.units["K1"])
    assert "Nhóm GV: 4 người ở mức HTXS" in unit
    assert "hạ xuống HTT: P01 (thứ 3), P03 (không có thứ hạng)" in unit


def test_within_the_quota_nobody_falls() -> None:
    result = run([person("P01", "HTXS"), *team(9)])
    assert result.people["P01"].level is Level.HTXS
    assert "Trong chỉ tiêu HTXS" in reasons(result.people["P01"])
    assert "1 người ở mức HTXS, chỉ tiêu 2" in reasons(result.people["P01"])


def test_the_base_counts_levels_after_discipline_and_months() -> None:
    # Five at HTT or HTXS once the disciplined and the short-timer are out → quota 1.
    people = [
        person("P01", "HTXS", rank=1),
        person("P02", "HTXS", rank=2),
        *team(3),
        person("X1", "HTT", discipline="khiển trách"),
        person("X2", "HTXS", months=4),
        person("X3", "HT"),
    ]
    result = run(people)
    assert result.people["P01"].level is Level.HTXS
    assert result.people["P02"].level is Level.HTT
    assert "chỉ tiêu 1 = ⌊20% × 5" in reasons(result.people["P02"])


def test_quota_zero_leaves_nobody_at_htxs() -> None:
    result = run([person("P01", "HTXS", rank=1), *team(3)])
    assert result.people["P01"].level is Level.HTT
    assert "chỉ tiêu 0 = ⌊20% × 4" in reasons(result.people["P01"])
    assert "chỉ tiêu bằng 0 nên không ai giữ được HTXS" in reasons(result.people["P01"])


def test_quota_is_per_unit_and_per_group() -> None:
    people = [
        # K1/GV: 5 → quota 1, two candidates: one falls.
        person("A1", "HTXS", rank=1),
        person("A2", "HTXS", rank=2),
        *team(3, prefix="A9"),
        # K1/NV: 5 → quota 1, one candidate: kept.
        person("B1", "HTXS", group="NV"),
        *team(4, prefix="B9", group="NV"),
        # K2/GV: 5 → quota 1, one candidate: kept.
        person("C1", "HTXS", unit="K2"),
        *team(4, prefix="C9", unit="K2"),
    ]
    result = run(people)
    assert [result.people[p].level for p in ("A1", "A2", "B1", "C1")] == [
        Level.HTXS,
        Level.HTT,
        Level.HTXS,
        Level.HTXS,
    ]


def test_equal_ranks_and_missing_ranks_are_ordered_by_id() -> None:
    # 5 → quota 1; P2 and P10 both ranked 1: P2 comes first ("P2" before "P10").
    result = run([person("P10", "HTXS", rank=1), person("P2", "HTXS", rank=1), *team(3)])
    assert result.people["P2"].level is Level.HTXS
    assert result.people["P10"].level is Level.HTT
    assert "cùng thứ hạng với P2 nên xếp theo mã người" in reasons(result.people["P10"])
    # Nobody ranked: the first id keeps it.
    result = run([person("P10", "HTXS"), person("P2", "HTXS"), *team(3)])
    assert result.people["P2"].level is Level.HTXS


def test_the_quota_is_data() -> None:
    people = [person("P01", "HTXS", rank=1), person("P02", "HTXS", rank=2), *team(2)]
    assert run(people, Rules(htxs_quota=Decimal("0.5"))).people["P02"].level is Level.HTXS
    assert run(people, Rules(htxs_quota=Decimal(0))).people["P01"].level is Level.HTT


# 5. Individual titles.


def test_ldtt_needs_htt_ten_months_and_no_discipline() -> None:
    result = run(
        [
            person("P01", "HTT"),
            person("P02", "HT"),
            person("P03", "HTT", months=9),
            person("P04", "HTT", discipline="khiển trách"),
            person("P05", "KHT"),
        ]
    )
    assert result.people["P01"].titles == (Title.LDTT,)
    assert "Đạt LĐTT: xếp loại HTT, công tác 12 tháng (từ 10 tháng)" in reasons(
        result.people["P01"]
    )
    for pid in ("P02", "P03", "P04", "P05"):
        assert result.people[pid].titles == ()
    assert "xếp loại HT (cần HTT trở lên)" in reasons(result.people["P02"])
    assert "công tác 9 tháng (cần từ 10 tháng)" in reasons(result.people["P03"])
    assert result.people["P03"].level is Level.HTT  # classified, only the title is refused
    assert "bị kỷ luật trong năm (khiển trách)" in reasons(result.people["P04"])
    assert "Không xét CSTĐCS, CSTĐ cấp tỉnh vì không đạt LĐTT" in reasons(result.people["P05"])


def test_not_classified_gets_no_title() -> None:
    result = run([person("P01", "HTXS", months=2, initiative="national")]).people["P01"]
    assert result.titles == ()
    assert "Không xét danh hiệu thi đua vì không được xếp loại." in result.reasons


def test_cstdcs_needs_ldtt_and_an_initiative_of_this_year() -> None:
    result = run(
        [
            person("P01", "HTT", initiative="school"),
            person("P02", "HTT"),
            person("P03", "HT", initiative="national"),
        ]
    )
    assert result.people["P01"].titles == (Title.LDTT, Title.CSTDCS)
    assert "phạm vi cấp cơ sở" in reasons(result.people["P01"])
    assert result.people["P02"].titles == (Title.LDTT,)
    assert "Không đạt CSTĐCS: không có sáng kiến" in reasons(result.people["P02"])
    assert result.people["P03"].titles == ()


def test_cstd_province_needs_three_consecutive_cstdcs_and_a_province_initiative() -> None:
    both = {2022: ["LĐTT", "CSTĐCS"], 2021: ["LĐTT", "CSTĐCS"]}
    result = run(
        [
            person("P01", "HTT", initiative="province", history=both),
            person("P02", "HTT", initiative="national", history=both),
            person("P03", "HTT", initiative="school", history=both),
            person("P04", "HTT", initiative="province", history={2022: ["CSTĐCS"]}),
            person(
                "P05", "HTT", initiative="province", history={2022: ["CSTĐCS"], 2020: ["CSTĐCS"]}
            ),
            person("P06", "HTT", initiative="province", history={2022: ["LĐTT"], 2021: ["CSTĐCS"]}),
        ]
    )
    full = (Title.LDTT, Title.CSTDCS, Title.CSTD_PROVINCE)
    assert result.people["P01"].titles == full
    assert "CSTĐCS 3 năm liên tục (2021-2022, 2022-2023, 2023-2024)" in reasons(
        result.people["P01"]
    )
    assert result.people["P02"].titles == full
    assert result.people["P03"].titles == (Title.LDTT, Title.CSTDCS)
    assert "sáng kiến có phạm vi cấp cơ sở (cần cấp tỉnh/bộ trở lên)" in reasons(
        result.people["P03"]
    )
    for pid, gap in (("P04", "2021-2022"), ("P05", "2021-2022"), ("P06", "2022-2023")):
        assert result.people[pid].titles == (Title.LDTT, Title.CSTDCS)
        assert f"chưa có CSTĐCS năm {gap}" in reasons(result.people[pid])


def test_a_school_under_a_ministry_proposes_cstd_cap_bo() -> None:
    history = {2022: ["CSTĐCS"], 2021: ["CSTĐCS"]}
    result = run(
        [person("P01", "HTT", initiative="province", history=history)],
        Rules(under_ministry=True),
    )
    assert result.people["P01"].titles == (Title.LDTT, Title.CSTDCS, Title.CSTD_MINISTRY)
    assert "Đạt CSTĐ cấp bộ" in reasons(result.people["P01"])


def test_a_title_needs_the_level_after_the_quota() -> None:
    # HTXS proposed, fallen to HTT by the quota: still LĐTT (HTT is enough).
    result = run([person("P01", "HTXS", rank=1, initiative="school"), *team(3)])
    assert result.people["P01"].level is Level.HTT
    assert result.people["P01"].titles == (Title.LDTT, Title.CSTDCS)


# 6. Collective titles.


def test_ttldxs_needs_all_at_ht_seventy_percent_ldtt_a_cstdcs_and_no_warning() -> None:
    people = [person("P01", "HTT", initiative="school"), *team(6), *team(3, "HT", prefix="H")]
    result = run(people)  # 7/10 LĐTT, all at HT or above, one CSTĐCS
    unit = result.units["K1"]
    assert unit.title is Title.TTLDXS
    assert "7/10 thành viên được xếp loại đạt LĐTT (70%), từ 70%" in reasons(unit)
    assert "có 1 CSTĐCS (P01)" in reasons(unit)
    assert "Đơn vị chỉ nhận danh hiệu cao hơn (TTLĐXS)" in reasons(unit)


def test_ttldxs_refused_for_each_missing_condition_and_ttldtt_given_instead() -> None:
    base = [person("P01", "HTT", initiative="school"), *team(6), *team(3, "HT", prefix="H")]
    # One member at KHT (proposed) instead of HT: not every member at HT or above.
    kht = [*base[:-1], person("H03", "KHT")]
    result = run(kht).units["K1"]
    assert result.title is Title.TTLDTT
    assert "có thành viên xếp loại KHT: H03" in reasons(result)
    assert "Đạt TTLĐTT: 7/10" in reasons(result) and "trên 50%" in reasons(result)
    # 6/10 LĐTT: under 70%.
    fewer = [*base[:6], *team(4, "HT", prefix="H")]
    result = run(fewer).units["K1"]
    assert result.title is Title.TTLDTT
    assert "6/10 thành viên được xếp loại đạt LĐTT (60%), cần từ 70%" in reasons(result)
    # No CSTĐCS.
    result = run([person("P01", "HTT"), *base[1:]]).units["K1"]
    assert result.title is Title.TTLDTT
    assert "không có thành viên đạt CSTĐCS" in reasons(result)


@pytest.mark.parametrize(
    ("discipline", "barred"),
    [("khiển trách", False), ("cảnh cáo", True), ("cách chức", True), ("buộc thôi việc", True)],
)
def test_nobody_disciplined_at_canh_cao_or_above(discipline: str, barred: bool) -> None:
    # 8 at LĐTT of 9 classified, plus someone with too few months (not classified) disciplined:
    # only cảnh cáo and above bar the collective titles.
    people = [
        person("P01", "HTT", initiative="school"),
        *team(7),
        person("X1", months=3, discipline=discipline),
        person("H1", "HT"),
    ]
    unit = run(people).units["K1"]
    if barred:
        assert unit.title is None
        assert f"bị kỷ luật từ cảnh cáo trở lên: X1 ({discipline})" in reasons(unit)
    else:
        assert unit.title is Title.TTLDXS


def test_a_classified_member_with_a_reprimand_stops_ttldxs_through_kht_only() -> None:
    people = [
        person("P01", "HTT", initiative="school"),
        *team(7),
        person("X1", discipline="khiển trách"),
    ]
    unit = run(people).units["K1"]
    assert unit.title is Title.TTLDTT
    assert "có thành viên xếp loại KHT: X1" in reasons(unit)


def test_ttldtt_needs_more_than_half() -> None:
    half = [*team(5), *team(5, "HT", prefix="H")]
    unit = run(half).units["K1"]
    assert unit.title is None
    assert "5/10 thành viên được xếp loại đạt LĐTT (50%), cần trên 50%" in reasons(unit)
    more = [*team(6), *team(5, "HT", prefix="H")]
    assert run(more).units["K1"].title is Title.TTLDTT


def test_shares_count_the_classified_only() -> None:
    # 2 LĐTT of 3 classified (66,7%) and two not classified: more than half.
    people = [*team(2), person("H1", "HT"), person("N1", months=1), person("N2", months=2)]
    unit = run(people).units["K1"]
    assert unit.title is Title.TTLDTT
    assert "2/3 thành viên được xếp loại đạt LĐTT (66,7%)" in reasons(unit)


def test_a_unit_without_classified_members_gets_no_title() -> None:
    result = run([person("P01", months=1)], units=["K1", "K2"])
    assert result.units["K1"].title is None
    assert result.units["K2"].title is None
    assert "không có thành viên được xếp loại" in reasons(result.units["K2"])


def test_the_discipline_bar_is_data() -> None:
    people = [
        person("P01", "HTT", initiative="school"),
        *team(7),
        person("X1", months=3, discipline="cảnh cáo"),
    ]
    unit = run(people, Rules(collective_discipline_bar=None)).units["K1"]
    assert unit.title is Title.TTLDXS
    unit = run(people, Rules(collective_discipline_bar=Discipline.REMOVAL)).units["K1"]
    assert unit.title is Title.TTLDXS


# The issue's example, and what the engine refuses.


def test_the_issues_example() -> None:
    exchange = parse(ISSUE_EXAMPLE)
    result = evaluate(exchange.year, exchange.units, exchange.people, Rules()).to_dict()
    p01 = result["people"]["P01"]
    # One person at HTT or HTXS: the quota is ⌊0.2 × 1⌋ = 0, so HTXS falls to HTT.
    assert p01["level"] == "HTT"
    assert p01["titles"] == ["LĐTT", "CSTĐCS"]
    assert any("chỉ tiêu 0 = ⌊20% × 1" in reason for reason in p01["reasons"])
    assert any("chưa có CSTĐCS năm 2021-2022" in reason for reason in p01["reasons"])
    assert result["units"]["K1"]["title"] == "TTLĐXS"
    assert set(result) == {"people", "units"}
    assert set(p01) == {"level", "titles", "reasons"}
    assert set(result["units"]["K1"]) == {"title", "reasons"}


def test_the_engine_refuses_inconsistent_facts() -> None:
    with pytest.raises(EngineInputError, match="mã người 'P01' lặp lại"):
        run([person("P01"), person("P01")])
    with pytest.raises(EngineInputError, match="mã đơn vị 'K1' lặp lại"):
        evaluate(YEAR, [Unit("K1"), Unit("K1")], [], Rules())
    with pytest.raises(EngineInputError, match="không có trong danh sách đơn vị"):
        run([person("P01", unit="K9")], units=["K1"])
    with pytest.raises(EngineInputError, match="năm 2023-2024 trong lịch sử không trước"):
        run([person("P01", history={2023: ["LĐTT"]})])


def test_results_come_in_the_order_people_read_ids() -> None:
    result = run([person("P10"), person("P2"), person("P1")]).to_dict()
    assert list(result["people"]) == ["P1", "P2", "P10"]
    assert sorted(["K10", "K2", "K1"], key=natural_key) == ["K1", "K2", "K10"]


def test_school_years() -> None:
    year = SchoolYear.parse(" 2023 - 2024 ")
    assert str(year) == "2023-2024"
    assert year.end.isoformat() == "2024-05-31"
    assert str(year.before(2)) == "2021-2022"
    for bad in ("2023-2025", "2023", "23-24", "2023/2024"):
        with pytest.raises(ValueError, match="không đúng dạng"):
            SchoolYear.parse(bad)


# NĐ 90/2020 Art. 2 cl. 3: maternity leave and 3–6 months of leave.
def test_maternity_leave_is_classified_on_the_time_actually_worked() -> None:
    result = run([person("P01", "HTT", months=4, maternity=True)]).people["P01"]
    assert result.level is Level.HTT
    text = reasons(result)
    assert "Nghỉ chế độ thai sản: công tác 4 tháng, dưới 6 tháng nhưng vẫn xếp loại" in text
    assert "thời gian làm việc thực tế (Nghị định 90/2020/NĐ-CP, Điều 2 khoản 3)" in text
    # Classified, but 4 months worked are not the 10 LĐTT needs.
    assert result.titles == ()
    assert "Không đạt LĐTT: công tác 4 tháng (cần từ 10 tháng)" in text


def test_without_maternity_leave_under_six_months_is_still_not_classified() -> None:
    result = run([person("P01", "HTT", months=4, leave=5)]).people["P01"]
    assert result.level is None and "Không xếp loại" in reasons(result)


def test_maternity_leave_with_discipline_is_kht() -> None:
    result = run([person("P01", "HTXS", months=3, maternity=True, discipline="khiển trách")])
    assert result.people["P01"].level is Level.KHT


def test_the_maternity_exception_is_data() -> None:
    rules = Rules(maternity_classified=False)
    assert run([person("P01", months=4, maternity=True)], rules).people["P01"].level is None


@pytest.mark.parametrize(
    ("leave", "proposed", "expected"),
    [
        (0, "HTT", "HTT"),
        (2.5, "HTT", "HTT"),
        (3, "HTT", "HT"),
        (3, "HTXS", "HT"),
        (5.5, "HTXS", "HT"),
        (4, "HT", "HT"),
        (4, "KHT", "KHT"),
    ],
)
def test_three_to_six_months_of_leave_caps_the_level_at_ht(
    leave: float, proposed: str, expected: str
) -> None:
    result = run([person("P01", proposed, months=12 - leave, leave=leave, rank=1)]).people["P01"]
    assert result.level is Level(expected)
    capped = "Nghỉ không tham gia công tác" in reasons(result)
    assert capped == (Level(proposed).rank > Level(expected).rank)


def test_the_cap_says_why_and_costs_the_titles() -> None:
    result = run([person("P01", "HTXS", months=8, leave=4, initiative="school")]).people["P01"]
    assert result.level is Level.HT and result.titles == ()
    assert (
        "Nghỉ không tham gia công tác 4 tháng trong năm theo quy định (từ 3 tháng): xếp loại "
        "không cao hơn Hoàn thành nhiệm vụ (HT), không theo mức đề xuất HTXS"
    ) in reasons(result)


def test_maternity_leave_is_not_capped_but_other_leave_is() -> None:
    people = [
        person("P01", "HTT", months=6, maternity=True),  # six months on maternity leave
        person("P02", "HTT", months=6, leave=3, maternity=True),
    ]
    result = run(people).people
    assert result["P01"].level is Level.HTT
    assert result["P02"].level is Level.HT


def test_the_cap_is_data() -> None:
    rules = Rules(leave_cap_months=Decimal(2), leave_cap_level=Level.HTT)
    result = run([person("P01", "HTXS", months=10, leave=2, rank=1)], rules).people["P01"]
    assert result.level is Level.HTT


def test_leave_and_maternity_in_the_exchange_format() -> None:
    data = {
        "year": "2023-2024",
        "units": [{"id": "K1"}],
        "people": [
            {"id": "P1", "unit": "K1", "group": "GV", "months_worked": 4, "proposed": "HTT",
             "maternity": True},
            {"id": "P2", "unit": "K1", "group": "GV", "months_worked": 8, "proposed": "HTT",
             "leave_months": 4},
            {"id": "P3", "unit": "K1", "group": "GV", "months_worked": 12, "proposed": "HTT",
             "leave_months": None, "maternity": None},
        ],
    }  # fmt: skip
    exchange = parse(data)
    people = {p.id: p for p in exchange.people}
    assert (people["P1"].maternity, people["P1"].leave_months) == (True, Decimal(0))
    assert (people["P2"].maternity, people["P2"].leave_months) == (False, Decimal(4))
    assert (people["P3"].maternity, people["P3"].leave_months) == (False, Decimal(0))
    result = evaluate(exchange.year, exchange.units, exchange.people, Rules())
    assert [result.people[p].level for p in ("P1", "P2", "P3")] == [Level.HTT, Level.HT, Level.HTT]


# Collectives the school does not recognise itself, and the school as a whole.
def test_an_excluded_unit_gets_no_title_but_its_people_are_classified() -> None:
    people = [person(f"P{i}", "HTT", unit="BGH") for i in range(3)]
    result = evaluate(
        YEAR, [Unit("BGH", excluded="lãnh đạo trường thuộc tập thể trường")], people, Rules()
    )
    assert result.units["BGH"].title is None
    assert result.units["BGH"].reasons[0] == (
        "Không xét danh hiệu tập thể: lãnh đạo trường thuộc tập thể trường."
    )
    assert all(result.people[p.id].titles == (Title.LDTT,) for p in people)


def test_the_school_as_a_whole_is_measured_over_every_unit() -> None:
    from emulation.engine import collective

    people = [
        person("P1", "HTT", unit="K1", initiative="school"),
        person("P2", "HTT", unit="K1"),
        person("P3", "HT", unit="K2"),
        person("P4", "HTT", unit="BGH"),
    ]
    units = [Unit("K1"), Unit("K2"), Unit("BGH", excluded="x")]
    result = evaluate(YEAR, units, people, Rules())
    school = collective(people, result.people, Rules())
    assert school.title is Title.TTLDXS  # 3/4 LĐTT ≥ 70%, one CSTĐCS, nobody below HT
    assert "3/4 thành viên được xếp loại đạt LĐTT (75%)" in " ".join(school.reasons)
    assert result.units["K2"].title is None
