"""The balancer's problem: lecturers, sections, the JSON exchange format and its checks.

``Instance.from_dict`` reads the exchange format (malformed input raises ``InstanceError`` with
a Vietnamese message for the user); ``evaluate`` measures any assignment — complete or not —
in plain floats from the original data, which is what every figure the balancer reports is
computed with.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class InstanceError(ValueError):
    """The instance JSON is malformed (message in Vietnamese, shown to the user)."""


def _as_float(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise InstanceError(f"{what} phải là số, nhận được {value!r}") from exc
    if not math.isfinite(number) or number < 0:
        raise InstanceError(f"{what} phải là số không âm, nhận được {value!r}")
    return number


def _id_list(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InstanceError(f"{what} phải là danh sách mã giảng viên")
    return tuple(dict.fromkeys(str(item) for item in value))


@dataclass
class Lecturer:
    id: str
    target: float
    max_load: float
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Lecturer:
        if "id" not in data:
            raise InstanceError("Giảng viên thiếu trường 'id'")
        lid = str(data["id"])
        for key in ("target", "max_load"):
            if key not in data:
                raise InstanceError(f"Giảng viên {lid} thiếu trường '{key}'")
        extra = {k: v for k, v in data.items() if k not in ("id", "target", "max_load")}
        return cls(
            id=lid,
            target=_as_float(data["target"], f"target của giảng viên {lid}"),
            max_load=_as_float(data["max_load"], f"max_load của giảng viên {lid}"),
            extra=extra,
        )

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "target": self.target, "max_load": self.max_load, **self.extra}


@dataclass
class Section:
    id: str
    hours: float
    eligible: tuple[str, ...] = ()
    locked_to: str | None = None
    preferred: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Section:
        if "id" not in data:
            raise InstanceError("Học phần thiếu trường 'id'")
        sid = str(data["id"])
        if "hours" not in data:
            raise InstanceError(f"Học phần {sid} thiếu trường 'hours'")
        locked = data.get("locked_to")
        known = ("id", "hours", "eligible", "locked_to", "preferred")
        return cls(
            id=sid,
            hours=_as_float(data["hours"], f"hours của học phần {sid}"),
            eligible=_id_list(data.get("eligible"), f"eligible của học phần {sid}"),
            locked_to=None if locked in (None, "") else str(locked),
            preferred=_id_list(data.get("preferred"), f"preferred của học phần {sid}"),
            extra={k: v for k, v in data.items() if k not in known},
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "hours": self.hours,
            "eligible": list(self.eligible),
            "locked_to": self.locked_to,
        }
        if self.preferred:
            out["preferred"] = list(self.preferred)
        out.update(self.extra)
        return out


@dataclass
class Instance:
    lecturers: list[Lecturer]
    sections: list[Section]
    previous_assignment: dict[str, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind, items in (("giảng viên", self.lecturers), ("học phần", self.sections)):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    raise InstanceError(f"Mã {kind} {item.id} bị trùng")
                seen.add(item.id)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Instance:
        if not isinstance(data, Mapping):
            raise InstanceError("Dữ liệu phân công phải là một đối tượng JSON")
        lecturers = data.get("lecturers")
        sections = data.get("sections")
        if not isinstance(lecturers, list) or not isinstance(sections, list):
            raise InstanceError("Dữ liệu phải có danh sách 'lecturers' và 'sections'")
        previous = data.get("previous_assignment")
        if previous is not None and not isinstance(previous, Mapping):
            raise InstanceError("'previous_assignment' phải là ánh xạ học phần → giảng viên")
        return cls(
            lecturers=[Lecturer.from_dict(item) for item in lecturers],
            sections=[Section.from_dict(item) for item in sections],
            previous_assignment=(
                {str(k): str(v) for k, v in previous.items() if v is not None}
                if previous is not None
                else None
            ),
            extra={
                k: v
                for k, v in data.items()
                if k not in ("lecturers", "sections", "previous_assignment")
            },
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "lecturers": [lecturer.to_dict() for lecturer in self.lecturers],
            "sections": [section.to_dict() for section in self.sections],
        }
        if self.previous_assignment is not None:
            out["previous_assignment"] = dict(self.previous_assignment)
        out.update(self.extra)
        return out

    @property
    def rho(self) -> float:
        total_target = sum(lect.target for lect in self.lecturers if lect.target > 0)
        if total_target <= 0:
            return 0.0
        return sum(section.hours for section in self.sections) / total_target


@dataclass
class Metrics:
    """What an assignment achieves, computed in plain floats from the original data."""

    loads: dict[str, float]
    rho: float
    max_deviation: float
    imbalance: float
    preferences_honoured: int
    preferences_possible: int
    changes: int
    unassigned: list[str]
    unknown_lecturer: list[str]
    ineligible: list[str]
    over_max_load: list[str]

    @property
    def feasible(self) -> bool:
        return not (
            self.unassigned or self.unknown_lecturer or self.ineligible or self.over_max_load
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "loads": self.loads,
            "rho": self.rho,
            "max_deviation": self.max_deviation,
            "imbalance": self.imbalance,
            "preferences_honoured": self.preferences_honoured,
            "preferences_possible": self.preferences_possible,
            "changes": self.changes,
            "unassigned": self.unassigned,
            "unknown_lecturer": self.unknown_lecturer,
            "ineligible": self.ineligible,
            "over_max_load": self.over_max_load,
            "feasible": self.feasible,
        }


def evaluate(instance: Instance, assignment: Mapping[str, str]) -> Metrics:
    """Compute loads, max_deviation, imbalance and rule violations of ``assignment``.

    Partial assignments are allowed (missing sections are listed in ``unassigned``); lecturers
    with ``target == 0`` are left out of max_deviation and imbalance.
    """
    lecturers = {lect.id: lect for lect in instance.lecturers}
    loads = {lect.id: 0.0 for lect in instance.lecturers}
    unassigned: list[str] = []
    unknown: list[str] = []
    ineligible: list[str] = []
    honoured = possible = changes = 0
    previous = instance.previous_assignment or {}
    for section in instance.sections:
        who = assignment.get(section.id)
        if section.preferred:
            possible += 1
        if section.id in previous and previous[section.id] != who:
            changes += 1
        if who is None:
            unassigned.append(section.id)
            continue
        if who not in lecturers:
            unknown.append(section.id)
            continue
        loads[who] += section.hours
        if section.locked_to is not None:
            if who != section.locked_to:
                ineligible.append(section.id)
        elif who not in section.eligible or lecturers[who].target <= 0:
            ineligible.append(section.id)
        if who in section.preferred:
            honoured += 1
    rho = instance.rho
    max_dev = 0.0
    imbalance = 0.0
    over: list[str] = []
    for lect in instance.lecturers:
        load = loads[lect.id]
        if load > lect.max_load + 1e-9:
            over.append(lect.id)
        if lect.target > 0:
            max_dev = max(max_dev, abs(load / lect.target - rho))
            imbalance += (load - rho * lect.target) ** 2 / lect.target
    return Metrics(
        loads={k: round(v, 6) for k, v in loads.items()},
        rho=rho,
        max_deviation=max_dev,
        imbalance=imbalance,
        preferences_honoured=honoured,
        preferences_possible=possible,
        changes=changes,
        unassigned=unassigned,
        unknown_lecturer=unknown,
        ineligible=ineligible,
        over_max_load=over,
    )
