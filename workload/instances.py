"""Realistic teaching-load instances for tests and benchmarks.

The structure mirrors how a Vietnamese college assigns teaching:

* lecturers belong to a subject group (bộ môn), groups to a faculty (khoa);
* a course (học phần) is taught by the qualified lecturers of its group; some courses are open
  to the neighbouring group of the same faculty, a few only to two specialists, and a very few
  to a group of another faculty (shared general courses);
* each course runs as several sections (lớp học phần) of 15–60 giờ chuẩn, multiplied by a
  class-size coefficient (up to 1.5 for large classes);
* faculties' demand differs from their capacity: some are short of staff, others have too few
  students — that is what makes the fair assignment non-trivial;
* targets (định mức after reductions) are 135–210 h a semester, some lecturers at 50–70 % after
  reductions (management duties, study leave), a few on leave (target 0); ``max_load`` is the
  target plus the overtime cap (200 h a year → 100 h a semester).

Everything here is a parameter of the generator, not of the balancer: the balancer only sees
targets and max loads.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from workload.balancer.instance import Instance, Lecturer, Section

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
_MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Đức", "Hoài"]
_GIVEN = [
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Khánh",
    "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm",
    "Thảo", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Yến",
]  # fmt: skip
_SUBJECTS = [
    "Toán", "Vật lý", "Hoá học", "Tin học", "Ngoại ngữ", "Kế toán", "Quản trị", "Điện",
    "Cơ khí", "Điều dưỡng", "Dược", "Xây dựng", "Du lịch", "Nông nghiệp", "Luật", "Chính trị",
]  # fmt: skip


@dataclass(frozen=True)
class GeneratorParams:
    group_size: tuple[int, int] = (6, 12)
    groups_per_faculty: tuple[int, int] = (2, 5)
    target_choices: tuple[float, ...] = tuple(float(t) for t in range(135, 211, 5))
    reduced_share: float = 0.15
    reduced_factor: tuple[float, float] = (0.5, 0.7)
    on_leave_share: float = 0.01
    overtime_cap: float = 100.0
    base_hours: tuple[float, ...] = (15.0, 30.0, 45.0, 60.0)
    base_weights: tuple[float, ...] = (0.05, 0.15, 0.4, 0.4)
    class_size_coefficients: tuple[float, ...] = (1.0, 1.1, 1.2, 1.3, 1.5)
    class_size_weights: tuple[float, ...] = (0.35, 0.25, 0.2, 0.12, 0.08)
    faculty_demand: tuple[float, float] = (0.85, 1.2)
    group_demand_noise: tuple[float, float] = (0.95, 1.05)
    sections_per_course: tuple[int, int] = (1, 6)
    qualified_share: tuple[float, float] = (0.35, 0.8)
    neighbour_share: float = 0.12
    specialist_share: float = 0.05
    cross_faculty_share: float = 0.01
    locked_share: float = 0.02
    preferred_share: float = 0.1
    coverage: float = 1.5


@dataclass
class _Course:
    group: int
    qualified: list[int]
    hours: list[float]
    specialist: bool


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _split(total: int, size: tuple[int, int], rng: random.Random) -> list[int]:
    """Random part sizes in ``size`` summing to ``total`` (the last part absorbs the rest)."""
    parts: list[int] = []
    left = total
    while left > 0:
        part = min(left, rng.randint(*size))
        parts.append(part)
        left -= part
    if len(parts) > 1 and parts[-1] < size[0]:
        last = parts.pop()
        parts[-1] += last
    return parts


def generate(
    n_lecturers: int,
    n_sections: int,
    seed: int,
    params: GeneratorParams | None = None,
) -> Instance:
    """A feasible, realistic instance (deterministic for a given seed and parameters)."""
    p = params or GeneratorParams()
    rng = random.Random(seed)

    # --- organisation: groups of lecturers, groups into faculties -------------------------
    group_sizes = _split(n_lecturers, p.group_size, rng)
    faculty_of_group: list[int] = []
    faculty_groups: list[list[int]] = []
    g = 0
    while g < len(group_sizes):
        count = min(rng.randint(*p.groups_per_faculty), len(group_sizes) - g)
        faculty_groups.append(list(range(g, g + count)))
        faculty_of_group.extend([len(faculty_groups) - 1] * count)
        g += count
    n_faculties = len(faculty_groups)

    lecturers: list[Lecturer] = []
    members: list[list[int]] = []
    for group, size in enumerate(group_sizes):
        members.append([])
        for _ in range(size):
            index = len(lecturers)
            target = rng.choice(p.target_choices)
            if rng.random() < p.on_leave_share:
                target = 0.0
            elif rng.random() < p.reduced_share:
                target = round(target * rng.uniform(*p.reduced_factor) * 2) / 2
            max_load = target + p.overtime_cap if target > 0 else 0.0
            faculty = faculty_of_group[group]
            lecturers.append(
                Lecturer(
                    id=f"GV{index + 1:04d}",
                    target=target,
                    max_load=max_load,
                    extra={
                        "name": _name(rng),
                        "faculty": f"Khoa {faculty + 1}",
                        "group": f"Bộ môn {_SUBJECTS[group % len(_SUBJECTS)]} {group + 1}",
                    },
                )
            )
            members[group].append(index)

    # --- demand: sections per group from capacity × faculty demand factor ------------------
    faculty_factor = [rng.uniform(*p.faculty_demand) for _ in range(n_faculties)]
    weights = []
    for group, people in enumerate(members):
        capacity = sum(lecturers[i].target for i in people)
        noise = rng.uniform(*p.group_demand_noise)
        weights.append(capacity * faculty_factor[faculty_of_group[group]] * noise)
    # Largest-remainder rounding: the spread between groups comes from the demand factors,
    # not from sampling noise.
    total_weight = sum(weights)
    exact = [n_sections * w / total_weight for w in weights]
    per_group = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda k: per_group[k] - exact[k])
    for group in by_remainder[: n_sections - sum(per_group)]:
        per_group[group] += 1

    def neighbour(group: int) -> int | None:
        same = faculty_groups[faculty_of_group[group]]
        if len(same) < 2:
            return None
        return same[(same.index(group) + 1) % len(same)]

    # --- courses: qualified lecturers and classes ---------------------------------------------
    courses: list[_Course] = []
    for group, count in enumerate(per_group):
        active = [i for i in members[group] if lecturers[i].target > 0]
        on_leave = [i for i in members[group] if lecturers[i].target <= 0]
        if len(active) < 2:  # pragma: no cover - groups have ≥ 6 members by construction
            continue
        left = count
        while left > 0:
            n_classes = min(left, rng.randint(*p.sections_per_course))
            base = rng.choices(p.base_hours, weights=p.base_weights)[0]
            roll = rng.random()
            if roll < p.specialist_share:
                # Only two specialists can teach it; kept small so they are not swamped.
                n_classes = min(n_classes, 2)
                qualified = rng.sample(active, 2)
                specialist = True
            else:
                specialist = False
                share = rng.uniform(*p.qualified_share)
                qualified = rng.sample(active, max(2, round(share * len(active))))
                if on_leave and rng.random() < 0.5:
                    qualified.append(rng.choice(on_leave))  # listed, but on leave this term
                other: int | None = None
                if roll < p.specialist_share + p.neighbour_share:
                    other = neighbour(group)
                elif roll < p.specialist_share + p.neighbour_share + p.cross_faculty_share:
                    choices = [
                        h
                        for h in range(len(members))
                        if faculty_of_group[h] != faculty_of_group[group]
                    ]
                    other = rng.choice(choices) if choices else None
                if other is not None:
                    pool = [i for i in members[other] if lecturers[i].target > 0]
                    n_extra = max(1, round(rng.uniform(0.3, 0.6) * len(pool)))
                    qualified += rng.sample(pool, min(n_extra, len(pool)))
            left -= n_classes
            hours = [
                round(base * rng.choices(p.class_size_coefficients, p.class_size_weights)[0], 1)
                for _ in range(n_classes)
            ]
            courses.append(_Course(group, qualified, hours, specialist))

    # Every active lecturer can teach enough of their group's courses to reach their norm:
    # otherwise the faculty would have reduced their target. Add them to courses until the
    # hours they could teach reach ``coverage`` × target.
    by_group: dict[int, list[_Course]] = {}
    for course in courses:
        by_group.setdefault(course.group, []).append(course)
    for group, people in enumerate(members):
        options = [c for c in by_group.get(group, []) if not c.specialist]
        for i in people:
            target = lecturers[i].target
            if target <= 0:
                continue
            mine = [c for c in options if i in c.qualified]
            reach = sum(sum(c.hours) for c in mine)
            others = [c for c in options if i not in c.qualified]
            rng.shuffle(others)
            while reach < p.coverage * target and others:
                course = others.pop()
                course.qualified.append(i)
                reach += sum(course.hours)

    sections: list[Section] = []
    for number, course in enumerate(courses, start=1):
        eligible = tuple(lecturers[i].id for i in sorted(set(course.qualified)))
        home = lecturers[members[course.group][0]].extra
        for k, section_hours in enumerate(course.hours):
            sections.append(
                Section(
                    id=f"S{len(sections) + 1:04d}",
                    hours=section_hours,
                    eligible=eligible,
                    extra={
                        "course": f"HP{number:04d}",
                        "class": f"L{k + 1:02d}",
                        "group": home["group"],
                        "faculty": home["faculty"],
                    },
                )
            )

    # --- locks and preferences --------------------------------------------------------------
    by_id = {lect.id: lect for lect in lecturers}
    locked_load: dict[str, float] = {}
    n_locked = round(p.locked_share * len(sections))
    for section in rng.sample(sections, n_locked):
        names = [x for x in section.eligible if by_id[x].target > 0]
        chosen = rng.choice(names)
        if locked_load.get(chosen, 0.0) + section.hours <= 0.6 * by_id[chosen].max_load:
            section.locked_to = chosen
            locked_load[chosen] = locked_load.get(chosen, 0.0) + section.hours
    for section in sections:
        if section.locked_to is None and rng.random() < p.preferred_share:
            names = [x for x in section.eligible if by_id[x].target > 0]
            section.preferred = (rng.choice(names),)

    return Instance(
        lecturers=lecturers,
        sections=sections,
        extra={
            "generator": {
                "n_lecturers": n_lecturers,
                "n_sections": n_sections,
                "seed": seed,
                "faculties": n_faculties,
                "groups": len(members),
            },
            "unit": "giờ chuẩn",
        },
    )
