"""What the teaching-assignment pages say, in the words of a school: lecturers, hours, fairness.

The balancer speaks of stages, deviations and ids such as ``S12`` and ``L5`` (its exchange
format); a head of faculty reads "giảng viên", "giờ phải dạy", "đều". Everything a workload page
shows of a run goes through here. Pure functions: no database.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import format_number

# The balancer's progress stages (workload/balancer/solve.py), as a head of faculty reads them.
STAGES = {
    "infeasible": gettext_lazy("Kiểm tra: chưa đủ giảng viên dạy hết các lớp"),
    "greedy": gettext_lazy("Chia nhanh một phương án ban đầu"),
    "lp_bound": gettext_lazy("Ước tính mức đều nhất có thể đạt"),
    "max_deviation": gettext_lazy("Kéo người dạy nhiều nhất và ít nhất về gần mức chung"),
    "max_deviation_done": gettext_lazy("Đã kéo người lệch nhiều nhất về gần mức chung"),
    "imbalance": gettext_lazy("Chia đều giờ cho mọi giảng viên"),
    "preferences": gettext_lazy("Xét lớp giảng viên muốn dạy, giữ phân công cũ khi được"),
    "greedy_fallback": gettext_lazy("Dùng phương án chia nhanh cho nhóm chưa kịp tính"),
    "done": gettext_lazy("Hoàn tất"),
}

_ID = re.compile(r"\b([SL])(\d+)\b")


def stage_label(stage: Any) -> str:
    return str(STAGES.get(str(stage), _("Đang tính")))


def percent(ratio: float | None, decimals: int = 0) -> str:
    """0.1548 → "15%" (Vietnamese decimal comma when decimals are asked for)."""
    if ratio is None:
        return "—"
    return f"{format_number(round(ratio * 100, decimals))}%"


def hours(value: float | None) -> str:
    if value is None:
        return "—"
    return format_number(round(value, 1))


def labels(instance: dict[str, Any]) -> dict[str, str]:
    """The balancer's ids → what the school calls them: section code, lecturer name (code)."""
    # Instance.to_dict flattens each item's extra keys (name, code) beside its id.
    names: dict[str, str] = {}
    for lecturer in instance.get("lecturers", []):
        name = lecturer.get("name") or lecturer["id"]
        names[lecturer["id"]] = f"{name} ({lecturer['code']})" if lecturer.get("code") else name
    for section in instance.get("sections", []):
        names[section["id"]] = section.get("code") or section["id"]
    return names


def readable(message: str, names: dict[str, str]) -> str:
    """Replace the balancer's ids in a Vietnamese message by section codes and lecturer names."""
    return _ID.sub(lambda m: names.get(m.group(0), m.group(0)), message or "")


def progress_line(progress: dict[str, Any]) -> dict[str, str]:
    """What a running computation is doing, in a head of faculty's words."""
    line = {"stage": stage_label(progress.get("stage"))}
    if progress.get("components"):
        line["group"] = _("nhóm giảng viên %(n)s/%(of)s") % {
            "n": progress.get("component") or 1,
            "of": progress["components"],
        }
    if progress.get("objective") is not None:
        line["best"] = _(
            "phương án tốt nhất đến giờ: chênh lệch lớn nhất so với mức chung %(p)s giờ phải dạy"
        ) % {"p": percent(progress["objective"], 1)}
    if progress.get("elapsed") is not None:
        line["elapsed"] = _("%(s)s giây") % {"s": format_number(round(progress["elapsed"], 1))}
    return line


def run_summary(result: dict[str, Any], instance: dict[str, Any]) -> list[tuple[str, str]]:
    """The result of a finished run as (label, sentence) pairs, without solver terms."""
    explanation = result.get("explanation") or {}
    names = labels(instance)
    rows: list[tuple[str, str]] = []
    rho = explanation.get("rho")
    if rho is not None:
        rows.append((
            _("Mức chung"),
            _("Nếu chia thật đều, mỗi giảng viên dạy %(p)s số giờ phải dạy của mình.")
            % {"p": percent(rho, 1)},
        ))  # fmt: skip
    spread = result.get("max_deviation")
    if spread is not None:
        if result.get("status") == "OPTIMAL":
            proof = _("không có cách phân công nào đều hơn")
        else:
            proof = _("có thể còn giảm được xuống %(p)s nếu cho thêm thời gian tính") % {
                "p": percent(result.get("lower_bound"), 1)
            }
        rows.append((
            _("Độ đều"),
            _("Người lệch nhiều nhất cách mức chung %(p)s giờ phải dạy (%(proof)s).")
            % {"p": percent(spread, 1), "proof": proof},
        ))  # fmt: skip
    for worst in (explanation.get("most_deviating") or [])[:1]:
        rows.append((
            _("Lệch nhiều nhất"),
            _("%(who)s: %(load)s giờ trên %(target)s giờ phải dạy (%(p)s).")
            % {
                "who": names.get(worst["lecturer"], worst["lecturer"]),
                "load": hours(worst["load"]),
                "target": hours(worst["target"]),
                "p": percent(worst["ratio"]),
            },
        ))  # fmt: skip
    if explanation.get("preferences_possible"):
        rows.append((
            _("Nguyện vọng"),
            _("Đáp ứng %(n)s trên %(of)s lớp giảng viên đăng ký muốn dạy.")
            % {"n": explanation.get("preferences_honoured", 0), "of": explanation["preferences_possible"]},
        ))  # fmt: skip
    if explanation.get("changes") is not None:
        rows.append((
            _("So với phân công lúc bắt đầu tính"),
            _("%(n)s lớp học phần đổi giảng viên.") % {"n": explanation["changes"]},
        ))  # fmt: skip
    if result.get("seconds") is not None:
        rows.append((_("Thời gian tính"), _("%(s)s giây") % {"s": hours(result["seconds"])}))
    return rows


def fairness(spread: dict[str, float | None]) -> dict[str, str] | None:
    """One set of loads (``services.spread``) as the term page shows it, or None if empty."""
    if spread.get("rho") is None:
        return None
    return {
        "range": _("dạy từ %(low)s đến %(high)s giờ phải dạy")
        % {"low": percent(spread["lowest"]), "high": percent(spread["highest"])},
        "gap": _("người lệch nhiều nhất cách mức chung %(p)s")
        % {"p": percent(spread["max_deviation"])},
        "common": percent(spread["rho"]),
    }
