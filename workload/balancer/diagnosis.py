"""Why no assignment exists, and what would fix it (in hours of visiting lecturers or overtime).

Checks run before any solving: sections nobody may teach, locks to unknown lecturers or over a
maximum, and a Hall-type max-flow check for groups of sections whose lecturers cannot carry
their hours. Every issue carries a Vietnamese message for the head of department.
"""

from __future__ import annotations

import time
from typing import Any

from ortools.graph.python import max_flow

from workload.balancer.instance import Instance
from workload.balancer.prep import Component, Prep
from workload.balancer.result import (
    STATUS_INFEASIBLE,
    Result,
    format_vn,
    group_labels,
    id_preview,
)


def diagnose(prep: Prep) -> list[dict[str, Any]]:
    inst = prep.instance
    lects = inst.lecturers
    secs = inst.sections
    hs = prep.hs
    issues: list[dict[str, Any]] = []

    for j in prep.unknown_locks:
        sec = secs[j]
        issues.append(
            {
                "kind": "unknown_locked_lecturer",
                "section": sec.id,
                "lecturer": sec.locked_to,
                "message": (
                    f"Học phần {sec.id} được khoá cho giảng viên {sec.locked_to} nhưng không có "
                    "giảng viên này trong danh sách: sửa mã giảng viên hoặc gỡ khoá"
                ),
            }
        )

    for i, lect in enumerate(lects):
        if prep.fixed_load_cap_h[i] > prep.cap_h[i]:
            locked_ids = [secs[j].id for j, who in prep.locked.items() if who == i]
            hours = prep.fixed_load_h[i] / hs
            excess = hours - lect.max_load
            issues.append(
                {
                    "kind": "locked_over_max_load",
                    "lecturer": lect.id,
                    "sections": locked_ids,
                    "locked_hours": round(hours, 6),
                    "max_load": lect.max_load,
                    "shortfall": round(excess, 6),
                    "message": (
                        f"Các học phần khoá cho giảng viên {lect.id} "
                        f"({id_preview(locked_ids)}) tổng {format_vn(hours)} giờ chuẩn, vượt "
                        f"mức tối đa {format_vn(lect.max_load)} giờ: cần gỡ khoá bớt hoặc tăng "
                        f"giờ vượt định mức thêm {format_vn(excess)} giờ chuẩn"
                    ),
                }
            )

    blocked: set[int] = set()
    for j in prep.free:
        if prep.cands[j]:
            continue
        sec = secs[j]
        blocked.add(j)
        listed = prep.listed[j]
        active = [i for i in listed if prep.active[i]]
        if not listed:
            reason = "no_eligible_lecturer"
            detail = ""
            if sec.eligible:
                detail = (
                    f" (các mã trong danh sách {id_preview(list(sec.eligible))} không có trong "
                    "danh sách giảng viên)"
                )
            message = f"Học phần {sec.id} không có giảng viên nào đủ điều kiện dạy{detail}"
            fix = "bổ sung giảng viên đủ điều kiện hoặc mời giảng viên thỉnh giảng"
        elif not active:
            reason = "only_on_leave"
            message = (
                f"Học phần {sec.id} không có giảng viên nào đủ điều kiện dạy: "
                f"{id_preview([lects[i].id for i in listed])} đều có định mức 0 (đang nghỉ)"
            )
            fix = "khoá học phần cho một người trong số đó hoặc mời giảng viên thỉnh giảng"
        else:
            reason = "section_too_large"
            best_room = max(prep.room_h[i] for i in active) / hs
            message = (
                f"Học phần {sec.id} ({format_vn(sec.hours)} giờ chuẩn) lớn hơn số giờ còn trống "
                f"của mọi giảng viên dạy được (nhiều nhất {format_vn(max(best_room, 0.0))} giờ)"
            )
            fix = "tăng giờ vượt định mức, gỡ bớt học phần khoá hoặc mời giảng viên thỉnh giảng"
        issues.append(
            {
                "kind": reason,
                "section": sec.id,
                "hours": sec.hours,
                "listed": [lects[i].id for i in listed],
                "message": f"{message}: {fix}",
            }
        )

    issues.extend(_capacity_shortfalls(prep, blocked))
    return issues


def _capacity_shortfalls(prep: Prep, blocked: set[int]) -> list[dict[str, Any]]:
    """Hall-type check: a set of sections whose candidates cannot carry their hours even when
    sections could be split. Max-flow from sections to lecturers; the source side of the
    minimum cut is the largest deficient set, split here into connected groups."""
    secs = prep.instance.sections
    lects = prep.instance.lecturers
    hs = prep.hs
    free = [j for j in prep.free if j not in blocked and prep.cands[j]]
    if not free:
        return []
    lect_nodes = sorted({i for j in free for i in prep.cands[j]})
    n_sec = len(free)
    source, sink = 0, 1
    sec_node = {j: 2 + k for k, j in enumerate(free)}
    lect_node = {i: 2 + n_sec + k for k, i in enumerate(lect_nodes)}
    flow = max_flow.SimpleMaxFlow()
    total = 0
    big = sum(prep.hours_cap_h[j] for j in free) + 1
    for j in free:
        flow.add_arc_with_capacity(source, sec_node[j], prep.hours_cap_h[j])
        total += prep.hours_cap_h[j]
        for i in prep.cands[j]:
            flow.add_arc_with_capacity(sec_node[j], lect_node[i], big)
    for i in lect_nodes:
        flow.add_arc_with_capacity(lect_node[i], sink, max(0, prep.room_h[i]))
    if flow.solve(source, sink) != flow.OPTIMAL:  # pragma: no cover - defensive
        return []
    if flow.optimal_flow() >= total:
        return []
    source_side = set(flow.get_source_side_min_cut())
    deficient_secs = [j for j in free if sec_node[j] in source_side]
    # Connected groups of the deficient sections (through shared candidates).
    parent = {j: j for j in deficient_secs}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[int, int] = {}
    for j in deficient_secs:
        for i in prep.cands[j]:
            if i in owner:
                a, b = find(owner[i]), find(j)
                if a != b:
                    parent[b] = a
            else:
                owner[i] = j
    groups: dict[int, list[int]] = {}
    for j in deficient_secs:
        groups.setdefault(find(j), []).append(j)
    issues = []
    for members in groups.values():
        who = sorted({i for j in members for i in prep.cands[j]})
        demand = sum(prep.hours_cap_h[j] for j in members) / hs
        capacity = sum(max(0, prep.room_h[i]) for i in who) / hs
        shortfall = demand - capacity
        if shortfall <= 0:
            continue
        sec_ids = [secs[j].id for j in members]
        lect_ids = [lects[i].id for i in who]
        labels = group_labels([secs[j] for j in members])
        where = f"nhóm {', '.join(labels)} " if labels else "nhóm "
        issues.append(
            {
                "kind": "capacity_shortfall",
                "sections": sec_ids,
                "lecturers": lect_ids,
                "groups": labels,
                "hours": round(demand, 6),
                "capacity": round(capacity, 6),
                "shortfall": round(shortfall, 6),
                "message": (
                    f"Thiếu {format_vn(shortfall)} giờ chuẩn ở {where}gồm {len(sec_ids)} học phần "
                    f"({id_preview(sec_ids)}; tổng {format_vn(demand)} giờ) mà chỉ "
                    f"{len(lect_ids)} giảng viên ({id_preview(lect_ids)}) dạy được, năng lực "
                    f"tối đa còn {format_vn(capacity)} giờ: cần mời giảng viên thỉnh giảng "
                    f"{format_vn(shortfall)} giờ chuẩn hoặc tăng giờ vượt định mức tương ứng"
                ),
            }
        )
    issues.sort(key=lambda issue: -issue["shortfall"])  # type: ignore[operator]
    return issues


def explanation_from_issues(issues: list[dict[str, Any]]) -> dict[str, Any]:
    needed = sum(
        issue.get("shortfall", 0.0)
        for issue in issues
        if issue["kind"] in ("capacity_shortfall", "locked_over_max_load")
    )
    lines = [issue["message"] for issue in issues]
    head = (
        "Không thể phân công: "
        if len(issues) == 1
        else f"Không thể phân công ({len(issues)} vấn đề):\n- "
    )
    message = head + ("\n- ".join(lines) if len(issues) > 1 else lines[0]) + "."
    return {
        "code": "INFEASIBLE",
        "issues": issues,
        "extra_hours_needed": round(needed, 6),
        "message": message,
    }


def diagnose_infeasibility(instance: Instance) -> dict[str, Any]:
    """Explain why no assignment exists (and what would fix it).

    Returns ``{"code": "INFEASIBLE" | "NO_ISSUE_FOUND", "issues": [...], "message": ...}``. Each
    issue has a ``kind`` (``no_eligible_lecturer``, ``only_on_leave``, ``section_too_large``,
    ``unknown_locked_lecturer``, ``locked_over_max_load``, ``capacity_shortfall``), the ids
    concerned, hours where relevant (``shortfall`` = hours of visiting lecturers or extra
    overtime needed) and a Vietnamese ``message``. ``NO_ISSUE_FOUND`` means every check passed:
    the instance is feasible when sections may be split; indivisible sections can still fail.
    """
    issues = diagnose(Prep(instance))
    if issues:
        return explanation_from_issues(issues)
    return {
        "code": "NO_ISSUE_FOUND",
        "issues": [],
        "extra_hours_needed": 0.0,
        "message": "Không phát hiện thiếu hụt năng lực giảng dạy.",
    }


def infeasible_packing(prep: Prep, comp: Component, started: float) -> Result:
    secs = prep.instance.sections
    lects = prep.instance.lecturers
    sec_ids = [secs[j].id for j in comp.sections]
    lect_ids = [lects[i].id for i in comp.lecturers]
    issue = {
        "kind": "indivisible_sections",
        "sections": sec_ids,
        "lecturers": lect_ids,
        "message": (
            f"Nhóm {len(sec_ids)} học phần ({id_preview(sec_ids)}) và {len(lect_ids)} giảng "
            f"viên ({id_preview(lect_ids)}) đủ tổng giờ nhưng không thể xếp trọn từng học phần "
            "mà không vượt giờ tối đa của ai đó: cần tăng giờ vượt định mức, tách lớp học phần "
            "hoặc mời giảng viên thỉnh giảng"
        ),
    }
    return Result(
        status=STATUS_INFEASIBLE,
        assignment={},
        loads={},
        max_deviation=None,
        lower_bound=None,
        imbalance=None,
        seconds=round(time.perf_counter() - started, 3),
        explanation=explanation_from_issues([issue]),
    )
