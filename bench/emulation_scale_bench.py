"""Issue 14's scale criterion on PostgreSQL: a university of 2 000 staff in 60 units (not a test).

    bash scripts/with-postgres.sh .venv/bin/python bench/emulation_scale_bench.py
    bash scripts/with-postgres.sh .venv/bin/python bench/emulation_scale_bench.py --province 0  # quick

Builds, next to the province dataset of the tracking benchmark (bench/tracking_bench.py: 99 more
schools of 500 tasks and 5 000 check-ins each, with COPY), a university of 2 000 staff (people,
positions, users) in 60 units with a plan of the same shape (500 tasks with lead and
coordinating units, 5 000 check-ins, 20 targets), the lecturers' teaching of the year, and its
2023–2024 campaign: launched, a council of seven, everyone registered, evaluated (self-assessed
and reviewed), the units' review minutes, 600 initiatives and five years of titles. The campaign,
its council and the evaluations go through the services; the rest is bulk_create.

Then, on the council's day (28/5/2024, the school's clock set as the tests do):

(a) the whole school's evaluation as the classification preview computes it
    (emulation.services.classification.preview: the evidence of every person, the levels, the
    HTXS quotas per unit and group, the individual and collective titles, every reason, the
    warnings), `--repeat` runs, median and max against issue 14's 5 s; and the same read after
    the year (the campaign read as it stood on 31/5/2024, as on the real today);
(b) the pages, served by `manage.py runserver --noreload` with DEBUG off on that day: the
    per-person evidence page (a lecturer's own, a unit head's own), the unit's review page (a
    faculty of ~33 people, as its head), the council's page (the whole school's list of cases, as
    the chair; the ballot paper of a member once the ballot is open), and the classification
    preview; p50/p95 against the floor page timed in the same window (tracking_bench.measure).

Prints Markdown tables for docs/PERFORMANCE.md; `--json FILE` keeps the figures. Exits 1 when the
evaluation's median takes 5 s or more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import tracking_bench as tb  # noqa: E402  (sets Django up)
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from emulation.facts import campaign_evidence  # noqa: E402
from emulation.models import (  # noqa: E402
    CampaignUnit,
    CouncilItem,
    CouncilMember,
    CouncilRole,
    Evaluation,
    Initiative,
    InitiativeAuthor,
    Registration,
    Stage,
    TitleHistory,
)
from emulation.services import campaigns as campaign_services  # noqa: E402
from emulation.services import council as council_services  # noqa: E402
from emulation.services import evaluations as evaluation_services  # noqa: E402
from emulation.services.classification import preview  # noqa: E402
from organisations.models import Organisation, Person, Position, Role  # noqa: E402
from workload.models import ActivityKind, Lecturer, Norm, Section, Term  # noqa: E402
from workload.models import RuleSet as WorkloadRules  # noqa: E402

TARGET_SECONDS = 5.0
COUNCIL_DAY = dt.date(2024, 5, 28)
START = tb.START  # 2023: the plan's year, and the campaign's
PASSPHRASE = "hòm phiếu Hội đồng thi đua 2024"
OFFICES = ["Phòng Đào tạo", "Phòng Tổ chức – Hành chính", "Phòng Kế hoạch – Tài chính",
           "Phòng Công tác sinh viên", "Phòng Khoa học công nghệ", "Phòng Đảm bảo chất lượng",
           "Phòng Hợp tác quốc tế", "Phòng Quản trị – Thiết bị", "Phòng Thanh tra – Pháp chế",
           "Phòng Truyền thông", "Phòng Sau đại học", "Phòng Khảo thí"]  # fmt: skip
CENTRES = ["Trung tâm Ngoại ngữ", "Trung tâm Tin học", "Trung tâm Thư viện",
           "Trung tâm Tuyển sinh", "Trung tâm Giáo dục thể chất", "Trung tâm Đào tạo thường xuyên",
           "Trạm Y tế", "Ký túc xá"]  # fmt: skip


def unit_names(units: int) -> list[str]:
    offices = OFFICES[: max(1, units // 5)]
    centres = CENTRES[: max(0, min(len(CENTRES), units // 7))]
    faculties = [f"Khoa Chuyên ngành {n:02d}" for n in range(1, units - len(offices) - len(centres) + 1)]  # fmt: skip
    return (offices + faculties + centres)[:units]


@contextmanager
def school_day(day: dt.date) -> Iterator[None]:
    """The school's today (core.clock reads timezone.localdate), as the tests' clock sets it."""
    saved = timezone.localdate
    timezone.localdate = lambda *args, **kwargs: day
    try:
        yield
    finally:
        timezone.localdate = saved


# Building ---------------------------------------------------------------------------------------


def titles_and_roles(school: Organisation) -> None:
    """The tracking generator's posts are all "Cán bộ": give them a university's titles, so that
    the groups of similar tasks (the HTXS quota's) are lecturers, officers and managers."""
    titled = {
        ("faculty", Role.MEMBER): "Giảng viên", ("office", Role.MEMBER): "Chuyên viên",
        ("faculty", Role.HEAD): "Trưởng khoa", ("office", Role.HEAD): "Trưởng phòng",
    }  # fmt: skip
    for (kind, role), title in titled.items():
        Position.objects.filter(
            organisation__school=school, organisation__kind=kind, role=role
        ).update(title=title)
    Position.objects.filter(organisation=school, role=Role.LEADERSHIP).update(title="Hiệu trưởng")
    # Two deputies from the first faculties' lecturers.
    deputies = list(
        Position.objects.filter(organisation__school=school, title="Giảng viên").order_by("pk")[:2]
    )
    for position in deputies:
        Position.objects.create(
            person_id=position.person_id, organisation=school, title="Phó Hiệu trưởng",
            role=Role.LEADERSHIP, order=0,
        )  # fmt: skip
        position.order = 1
        position.save(update_fields=["order"])


def teaching(school: Organisation, rng: random.Random) -> int:
    """Every lecturer's sections of the year (both semesters), against a norm of 270 giờ chuẩn."""
    rules = WorkloadRules.objects.create(
        school=school,
        name="Quy định giờ chuẩn",
        valid_from=dt.date(START, 8, 1),
        overtime_cap_year=Decimal(270),
    )
    Norm.objects.create(rules=rules, title="Giảng viên", hours_per_year=Decimal(270))
    kind = ActivityKind.objects.create(rules=rules, code="LT", name="Lý thuyết", hours_per_unit=1)
    terms = [
        Term.objects.create(school=school, start_year=START, semester=1, starts_on=dt.date(START, 9, 1)),
        Term.objects.create(school=school, start_year=START, semester=2, starts_on=dt.date(START + 1, 1, 15)),
    ]  # fmt: skip
    members = list(
        Position.objects.filter(organisation__school=school, title="Giảng viên")
        .order_by("pk")
        .values_list("person_id", "organisation_id")
    )
    lecturers = Lecturer.objects.bulk_create(
        [
            Lecturer(person_id=person_id, code=f"GV{n:04d}", group_id=unit_id, title="Giảng viên")
            for n, (person_id, unit_id) in enumerate(members, start=1)
        ]
    )
    sections = []
    for lecturer in lecturers:
        for term in terms:
            for k in range(4):
                hours = Decimal(rng.choice([30, 30, 45, 45, 60]))
                sections.append(
                    Section(
                        term=term, code=f"{lecturer.code}-{term.semester}-{k}", course=f"Học phần {k}",
                        group_id=lecturer.group_id, kind=kind, units=hours, class_size=40, hours=hours,
                        assigned_to=lecturer,
                    )
                )  # fmt: skip
    Section.objects.bulk_create(sections, batch_size=2000)
    return len(sections)


def campaign_of(school: Organisation, leader: Any, rng: random.Random) -> dict[str, Any]:
    """The 2023–2024 campaign through the services, as it stands on the council's day."""
    began = time.perf_counter()
    people = list(Person.objects.filter(school=school).order_by("pk"))
    heads = list(
        Position.objects.filter(organisation__school=school, role=Role.HEAD)
        .select_related("person", "organisation")
        .order_by("organisation__order")
    )
    with school_day(dt.date(START, 9, 26)):
        campaign = campaign_services.new_campaign(school, start_year=START)
        campaign_services.save_campaign(campaign, by=leader)
        campaign_services.launch_campaign(campaign, by=leader)
        chair = Person.objects.get(user=leader, school=school)
        council = [(chair, CouncilRole.CHAIR, "Hiệu trưởng")] + [
            (head.person, CouncilRole.SECRETARY if n == 0 else CouncilRole.MEMBER, head.title)
            for n, head in enumerate(heads[:6])
        ]
        for person, role, title in council:
            campaign_services.save_council_member(
                CouncilMember(campaign=campaign, person=person, role=role, title=title), by=leader
            )
    launched = time.perf_counter()
    with school_day(COUNCIL_DAY):
        evaluation_services.prepare_evaluations(campaign, by=leader)
    prepared = time.perf_counter()
    evaluations = list(
        Evaluation.objects.filter(campaign=campaign).select_related("person").order_by("person_id")
    )
    head_of = {head.organisation_id: head.person for head in heads}
    registrations, updated = [], []
    for evaluation in evaluations:
        level = rng.choices(["HTXS", "HTT", "HT", "KHT"], weights=[28, 60, 10, 2])[0]
        titles = ["LĐTT"] + (["CSTĐCS"] if level == "HTXS" and rng.random() < 0.6 else [])
        registrations.append(
            Registration(
                campaign=campaign, person=evaluation.person, unit_id=evaluation.unit_id,
                titles=titles, commitments="Hoàn thành xuất sắc nhiệm vụ được giao.",
                registered_by=leader,
            )
        )  # fmt: skip
        evaluation.self_level = level
        evaluation.self_comment = "Hoàn thành các nhiệm vụ được giao trong năm học."
        evaluation.unit_level = level
        evaluation.unit_comment = "Đơn vị nhất trí."
        evaluation.unit_reviewed_by = head_of.get(evaluation.unit_id)
        evaluation.proposed_level = level
        evaluation.stage = Stage.UNIT_REVIEWED
        if evaluation.is_manager:
            evaluation.leadership_level = level
            evaluation.stage = Stage.LEADERSHIP_REVIEWED
        if level == "HTXS" and rng.random() < 0.8:
            evaluation.council_rank = rng.randint(1, 40)
        if rng.random() < 0.02:
            evaluation.months_worked = Decimal(rng.choice([5, 7, 9]))
        if rng.random() < 0.01:
            evaluation.discipline = "khiển trách"
        updated.append(evaluation)
    Evaluation.objects.bulk_update(
        updated,
        [
            "self_level", "self_comment", "unit_level", "unit_comment", "unit_reviewed_by",
            "proposed_level", "stage", "leadership_level", "council_rank", "months_worked",
            "discipline",
        ],
        batch_size=500,
    )  # fmt: skip
    units = list(Organisation.objects.filter(parent=school).order_by("order"))
    for unit in units:
        registrations.append(
            Registration(
                campaign=campaign, unit=unit, titles=[rng.choice(["TTLĐTT", "TTLĐXS"])],
                commitments="Tập thể lao động tiên tiến.", registered_by=leader,
            )
        )  # fmt: skip
    Registration.objects.bulk_create(registrations, batch_size=1000)
    CampaignUnit.objects.bulk_create(
        [
            CampaignUnit(
                campaign=campaign, unit=unit, review_meeting_on=dt.date(START + 1, 5, 22),
                review_minutes="Biên bản họp xét thi đua của đơn vị.",
            )
            for unit in units
        ]
    )  # fmt: skip
    # Initiatives: 400 recognised this year, 200 last year (one or two authors each).
    initiatives, authors = [], []
    for n in range(600):
        year = START if n < 400 else START - 1
        initiatives.append(
            Initiative(
                school=school, title=f"Sáng kiến, đề tài số {n + 1}", start_year=year,
                scope=rng.choices(["school", "province", "national"], weights=[80, 16, 4])[0],
                recognised_on=dt.date(year + 1, 4, 20), recognised_by="Hội đồng khoa học",
            )
        )  # fmt: skip
    initiatives = Initiative.objects.bulk_create(initiatives)
    for initiative in initiatives:
        for order, person in enumerate(rng.sample(people, rng.choice([1, 1, 2]))):
            authors.append(InitiativeAuthor(initiative=initiative, person=person, order=order))
    InitiativeAuthor.objects.bulk_create(authors, batch_size=2000)
    # Five earlier years of titles, each person's and each unit's.
    history = []
    for back in range(1, 6):
        year = START - back
        for person in people:
            earned: list[str] = []
            level = rng.choices(["HTXS", "HTT", "HT"], weights=[25, 65, 10])[0]
            if level != "HT" and rng.random() < 0.85:
                earned.append("LĐTT")
                if level == "HTXS" and rng.random() < 0.5:
                    earned.append("CSTĐCS")
            history.append(
                TitleHistory(
                    school=school, start_year=year, person=person, titles=titles, level=level
                )
            )
        for unit in units:
            history.append(
                TitleHistory(
                    school=school, start_year=year, unit=unit,
                    titles=[rng.choice(["TTLĐTT", "TTLĐXS"])],
                )
            )  # fmt: skip
    TitleHistory.objects.bulk_create(history, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "campaign": campaign.pk,
        "evaluations": len(evaluations),
        "initiatives": len(initiatives),
        "title_history": len(history),
        "seconds_launch_and_council": round(launched - began, 1),
        "seconds_prepare_evaluations": round(prepared - launched, 1),
        "seconds_rest": round(time.perf_counter() - prepared, 1),
    }


def build(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(14)
    began = time.perf_counter()
    facts = tb.generate(
        1, args.tasks, args.checkins, args.people, unit_names=unit_names(args.units),
        label="dh", seed=14,
    )  # fmt: skip
    school = Organisation.objects.get(pk=facts["school"])
    school.name = "Trường Đại học Mẫu"
    school.abbreviation = "ĐHM"
    school.save()
    titles_and_roles(school)
    sections = teaching(school, rng)
    province = {}
    if args.province:
        province = tb.generate(args.province, 500, 10, 100, label="tinh", seed=2023)
    built = time.perf_counter()
    leader = get_user_model().objects.get(pk=facts["leader"])
    emulation = campaign_of(school, leader, rng)
    return {
        "school": school.pk, "plan": facts["plan"], "leader": facts["leader"], "people": facts["users"],
        "tasks": facts["tasks"], "checkins": facts["checkins"], "sections": sections,
        "province_schools": args.province, "province_tasks": province.get("tasks", 0),
        "province_checkins": province.get("checkins", 0),
        "seconds_plan_and_people": round(built - began, 1), **emulation,
    }  # fmt: skip


# (a) The whole school's evaluation ----------------------------------------------------------------


def evaluation_runs(campaign_id: int, repeat: int) -> dict[str, Any]:
    """The classification preview on the whole school, as the preview page and the council's list
    compute it: evidence, levels, quotas, titles, warnings. Each run from the campaign's row."""
    from emulation.models import Campaign

    def once() -> tuple[float, float, int, Any]:
        campaign = Campaign.objects.select_related("plan", "school__parent").get(pk=campaign_id)
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = preview(campaign)
        total = time.perf_counter() - began
        people = [row.evaluation.person for row in result.rows]
        began = time.perf_counter()
        campaign_evidence(campaign, people)
        evidence = time.perf_counter() - began
        return total, evidence, len(queries), result

    out: dict[str, Any] = {}
    for label, day in (("council_day", COUNCIL_DAY), ("after_the_year", None)):
        runs, evidence_runs = [], []
        result = None
        queries = 0
        for _ in range(repeat):
            if day is not None:
                with school_day(day):
                    total, evidence, queries, result = once()
            else:
                total, evidence, queries, result = once()
            runs.append(total)
            evidence_runs.append(evidence)
        assert result is not None
        ready = [row for row in result.rows if row.result is not None]
        out[label] = {
            "median": round(statistics.median(runs), 2), "max": round(max(runs), 2),
            "min": round(min(runs), 2), "evidence_median": round(statistics.median(evidence_runs), 2),
            "queries": queries, "people": len(result.rows), "classified": len(ready),
            "levels": dict(result.levels), "titles": dict(result.titles),
            "quota_checks": len(result.quota), "warnings": len(result.warnings),
        }  # fmt: skip
    return out


# (b) The pages ------------------------------------------------------------------------------------


def serve(port: int, day: str) -> None:
    """`--serve`: runserver on the school's day (a child process of the benchmark)."""
    from django.core.management import execute_from_command_line

    with school_day(dt.date.fromisoformat(day)):
        execute_from_command_line(["manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"])


def council_ready(campaign_id: int, leader_id: int) -> tuple[int, int]:
    """The council's list made through the service, then the ballot opened; (cases, members)."""
    from emulation.models import Campaign

    leader = get_user_model().objects.get(pk=leader_id)
    with school_day(COUNCIL_DAY):
        campaign = Campaign.objects.get(pk=campaign_id)
        vote = council_services.prepare_vote(campaign, held_on=COUNCIL_DAY, by=leader)
    return CouncilItem.objects.filter(vote=vote).count(), vote.pk


def open_ballot(campaign_id: int, leader_id: int) -> None:
    from emulation.models import Campaign

    leader = get_user_model().objects.get(pk=leader_id)
    with school_day(COUNCIL_DAY):
        campaign = Campaign.objects.get(pk=campaign_id)
        vote = council_services.active_vote(campaign)
        assert vote is not None
        members = [m.pk for m in CouncilMember.objects.filter(campaign=campaign, archived_at=None)]
        council_services.open_vote(vote, present=members, passphrase=PASSPHRASE, by=leader)


def page_subjects(facts: dict[str, Any]) -> dict[str, Any]:
    """Who the pages are about: a faculty of about 35 people, its head, one of its lecturers with
    tasks in their charge, a council member who is not the chair."""
    from planning.models import Task

    campaign = facts["campaign"]
    sizes = dict(
        Evaluation.objects.filter(campaign_id=campaign)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    faculty = min(
        Organisation.objects.filter(parent_id=facts["school"], kind="faculty"),
        key=lambda unit: (abs(sizes.get(unit.pk, 0) - 35), unit.order),
    )
    head = Position.objects.get(organisation=faculty, role=Role.HEAD).person
    charged = dict(
        Task.objects.filter(plan_id=facts["plan"])
        .values_list("person_in_charge_id")
        .annotate(n=Count("pk"))
        .values_list("person_in_charge_id", "n")
    )
    lecturers = Position.objects.filter(organisation=faculty, role=Role.MEMBER).order_by("pk")
    lecturer = max((p.person for p in lecturers), key=lambda person: charged.get(person.pk, 0))
    member = (
        CouncilMember.objects.filter(campaign_id=campaign, role=CouncilRole.MEMBER)
        .select_related("person")
        .order_by("order")
        .first()
    )
    assert member is not None
    return {
        "faculty": faculty.pk, "faculty_people": sizes.get(faculty.pk, 0), "head": head,
        "lecturer": lecturer, "lecturer_tasks": charged.get(lecturer.pk, 0),
        "head_tasks": charged.get(head.pk, 0), "member": member.person,
    }  # fmt: skip


def pages(args: argparse.Namespace, facts: dict[str, Any]) -> dict[str, Any]:
    env = {
        **os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "trongtam.settings", "LOG_LEVEL": "WARNING",
    }  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )  # fmt: skip
    cases, _vote = council_ready(facts["campaign"], facts["leader"])
    subjects = page_subjects(facts)
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(args.port), "--day", COUNCIL_DAY.isoformat()],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    results = []
    try:
        for _ in range(150):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request(
                    "GET", "/tracking/health/"
                )
                break
            except OSError:
                time.sleep(0.2)
        leader = tb.session_cookie(facts["leader"])
        head = tb.session_cookie(subjects["head"].user_id)
        lecturer = tb.session_cookie(subjects["lecturer"].user_id)
        member = tb.session_cookie(subjects["member"].user_id)
        plan, campaign, faculty = facts["plan"], facts["campaign"], subjects["faculty"]
        evidence = f"/emulation/evidence/{plan}/people/"
        rows: list[tuple[str, str, str, Callable[[], None] | None]] = [
            ("floor (minimal page)", "/tracking/floor/", leader, None),
            (f"evidence page, a lecturer's own ({subjects['lecturer_tasks']} tasks in charge)",
             f"{evidence}{subjects['lecturer'].pk}/", lecturer, None),
            ("evidence page, a faculty head's own (the faculty's tasks)",
             f"{evidence}{subjects['head'].pk}/", head, None),
            (f"unit review page ({subjects['faculty_people']} people), its head",
             f"/emulation/{campaign}/units/{faculty}/review/", head, None),
            (f"council's page, list of {cases} cases (draft), the chair",
             f"/emulation/{campaign}/ballot/", leader, None),
            ("classification preview (the whole school)",
             f"/emulation/{campaign}/classification/", leader, None),
            ("council's page, ballot open, a member's paper",
             f"/emulation/{campaign}/ballot/", member,
             lambda: open_ballot(facts["campaign"], facts["leader"])),
        ]  # fmt: skip
        for name, path, cookie, before in rows:
            if before is not None:
                before()
            runs = args.runs if "classification" not in name else max(10, args.runs // 4)
            results.append({"page": name, **tb.measure(args.port, path, cookie, runs)})
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {"cases": cases, "rows": results, **{k: str(v) for k, v in subjects.items()}}


def profile(facts: dict[str, Any], top: int) -> None:
    """`--profile`: each page in-process (Django's test client, the council's day) under cProfile,
    its queries and the functions that take the time; no server."""
    import cProfile
    import pstats

    from django.test import Client
    from django.test.utils import override_settings

    cases, _vote = council_ready(facts["campaign"], facts["leader"])
    subjects = page_subjects(facts)
    plan, campaign, faculty = facts["plan"], facts["campaign"], subjects["faculty"]
    user = get_user_model().objects.get
    targets = [
        ("evidence, lecturer", f"/emulation/evidence/{plan}/people/{subjects['lecturer'].pk}/",
         subjects["lecturer"].user_id),
        ("evidence, head", f"/emulation/evidence/{plan}/people/{subjects['head'].pk}/",
         subjects["head"].user_id),
        ("unit review", f"/emulation/{campaign}/units/{faculty}/review/", subjects["head"].user_id),
        (f"council ({cases} cases)", f"/emulation/{campaign}/ballot/", facts["leader"]),
        ("classification", f"/emulation/{campaign}/classification/", facts["leader"]),
    ]  # fmt: skip
    with (
        override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False, SECURE_SSL_REDIRECT=False),
        school_day(COUNCIL_DAY),
    ):
        for name, path, user_id in targets:
            client = Client()
            client.force_login(user(pk=user_id))
            client.get(path)
            profiler = cProfile.Profile()
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                profiler.enable()
                response = client.get(path)
                profiler.disable()
                took = (time.perf_counter() - began) * 1000
            sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
            slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]
            print(
                f"\n## {name}: {response.status_code}, {took:.0f} ms, {len(queries)} queries "
                f"({sql:.0f} ms of SQL), {len(response.content) // 1024} KB"
            )
            for query in slowest:
                print(f"  {float(query['time']) * 1000:.1f} ms: {query['sql'][:400]}")
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(top)
            stats.sort_stats("tottime").print_stats(top)


def load() -> str:
    env = {**os.environ, "TZ": "UTC"}  # Django set TZ to the site's zone
    return subprocess.run(["uptime"], capture_output=True, text=True, env=env).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--checkins", type=int, default=10)
    parser.add_argument("--province", type=int, default=99, help="other schools of the province")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--port", type=int, default=8014)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--profile", type=int, metavar="TOP", help="profile the pages in-process")
    parser.add_argument("--json")
    parser.add_argument("--build-only", action="store_true", help="build, write --json, stop")
    parser.add_argument("--facts", help="a --build-only's JSON: reuse its database, build nothing")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--day", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.day)
        return 0
    if connection.vendor != "postgresql":
        raise SystemExit("Run under scripts/with-postgres.sh (PostgreSQL).")
    if args.facts:
        facts = json.loads(Path(args.facts).read_text())
    else:
        call_command("migrate", verbosity=0)
        facts = build(args)
    print(json.dumps(facts, ensure_ascii=False), flush=True)
    if args.build_only:
        if args.json:
            Path(args.json).write_text(json.dumps(facts))
        return 0
    loads = [load()]
    if args.profile:
        profile(facts, args.profile)
        return 0
    evaluation = evaluation_runs(facts["campaign"], args.repeat)
    print(json.dumps(evaluation, ensure_ascii=False), flush=True)
    loads.append(load())
    page_figures = {} if args.skip_pages else pages(args, facts)
    loads.append(load())

    print(
        "\n| the whole school's evaluation | median s | max s | of which the evidence (median) s | queries |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, name in (("council_day", "on the council's day (28/5/2024)"),
                        ("after_the_year", "after the year (as it stood on 31/5/2024)")):  # fmt: skip
        row = evaluation[label]
        print(
            f"| {name} | {row['median']} | {row['max']} | {row['evidence_median']} | {row['queries']} |"
        )
    if page_figures:
        print(
            "\n| page | p50 ms | p95 ms | floor p50 / p95 ms (same window) | p50 / floor | "
            "p95 / floor | size KB |\n|---|---:|---:|---:|---:|---:|---:|"
        )
        for row in page_figures["rows"]:
            print(
                f"| {row['page']} | {row['p50']} | {row['p95']} | {row['floor_p50']} / "
                f"{row['floor_p95']} | {row['ratio_p50']} | {row['ratio']} | {row['kb']} |"
            )
    print("\nload (uptime): " + " → ".join(loads))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"facts": facts, "evaluation": evaluation, "pages": page_figures, "load": loads},
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
    ok = evaluation["council_day"]["median"] < TARGET_SECONDS
    print(
        f"target: the whole school's evaluation under {TARGET_SECONDS:.0f} s: {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    from django_scopes import scopes_disabled

    if "--serve" in sys.argv:  # the server's requests run in their own scopes
        sys.exit(main())
    with scopes_disabled():  # a benchmark, like a command, reads every school on purpose
        sys.exit(main())
