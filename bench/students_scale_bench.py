"""The students issue's scale criterion on PostgreSQL: a university of 30 000 students (not a test).

    bash scripts/with-postgres.sh .venv/bin/python bench/students_scale_bench.py
    bash scripts/with-postgres.sh .venv/bin/python bench/students_scale_bench.py --students 3000 --changes 30000 --results 200000   # quick

Builds, with the tracking benchmark's generator (bench/tracking_bench.py: one school with its plan,
units and 100 staff), a university of 30 programmes in 10 intakes (2015–2024), each intake two
classes a programme (600 classes of 50), then:

(a) imports the 30 000-row student list (Excel, 7 columns) through the import page, as a user
    does: the upload and its dry run (one POST, the preview page), then the confirmation (a
    second POST, which reads the file again and writes every student) — timed over HTTP against
    `manage.py runserver` with DEBUG off; then the same list again with 1 500 rows changed
    (a re-import: 28 500 unchanged, 1 500 updated);
(b) adds with COPY 300 000 changes of status on those students (ten a student, in an order the
    import of changes would accept; their current status follows), their term results (one a
    semester of their course up to the benchmark's day) and the province's other schools' term
    results up to 2 000 000 in all, the academic warnings of the university's results, and the
    dormitory (6 buildings, 2 880 beds, a term's places) and off-campus declarations;
(c) times the pages (40 requests each after 3 warm-ups, each after a floor request timed in the
    same window: tracking_bench.measure) as the leadership: the cohort × term matrix, a cell's
    drill-down, the warning list, enrolment against quota, dropout, the students' home, and the
    residence pages (overview, dormitory, places, declarations, not declared, by ward, links).

The school's day is 15/03/2025 (the second semester of 2024–2025), set as the tests set it, in
the benchmark and in its server. Prints Markdown tables for docs/PERFORMANCE.md; `--json FILE`
keeps the figures. Exits 1 when the import (dry run plus commit) takes 60 s or more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import json
import os
import random
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import tracking_bench as tb  # noqa: E402  (sets Django up)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from organisations.models import Organisation, Person  # noqa: E402
from residence.models import Allocation, Building, Declaration, Room, Term  # noqa: E402
from students import versions  # noqa: E402
from students.models import (  # noqa: E402
    STATUS_AFTER,
    AcademicWarning,
    Cohort,
    EnrolmentCount,
    Intake,
    Programme,
    RecordsOffice,
    StatusChange,
    Student,
    TermResult,
    name_key,
)

TARGET_SECONDS = 60.0
DAY = dt.date(2025, 3, 15)
FIRST_INTAKE = 2015
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
          "Lý", "Hà", "Nông", "Lương", "Hoàng", "Triệu", "Vi", "Lăng"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Thanh", "Quang", "Hồng", "Bảo"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Ngân", "Phúc", "Phương",
         "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Việt", "Yến"]  # fmt: skip
WARDS = ["Phường Chi Lăng", "Phường Hoàng Văn Thụ", "Phường Tam Thanh", "Phường Vĩnh Trại",
         "Phường Đông Kinh", "Xã Mai Pha", "Xã Hoàng Đồng", "Xã Quảng Lạc"]  # fmt: skip


@contextmanager
def school_day(day: dt.date) -> Iterator[None]:
    """The school's today (core.clock reads timezone.localdate), as the tests' clock sets it."""
    saved = timezone.localdate
    timezone.localdate = lambda *args, **kwargs: day
    try:
        yield
    finally:
        timezone.localdate = saved


def load() -> str:
    env = {**os.environ, "TZ": "UTC"}
    return subprocess.run(["uptime"], capture_output=True, text=True, env=env).stdout.strip()


# Building -------------------------------------------------------------------------------------


def university(args: argparse.Namespace) -> dict[str, Any]:
    """The school (tracking's generator), its records office, programmes, intakes, classes."""
    facts = tb.generate(1, 500, 10, 100, label="dh", seed=2025)
    school = Organisation.objects.get(pk=facts["school"])
    school.name, school.abbreviation = "Trường Đại học Mẫu", "ĐHM"
    school.save()
    units = list(Organisation.objects.filter(parent=school).order_by("order"))
    office = next(u for u in units if "HSSV" in u.name)
    RecordsOffice.objects.create(school=school, office=office)
    faculties = [u for u in units if u.kind == "faculty"]
    programmes = []
    for n in range(args.programmes):
        programme = Programme(
            school=school, code=f"7{140201 + n}", name=f"Ngành đào tạo số {n + 1:02d}",
            level="college", mode="full_time", faculty=faculties[n % len(faculties)],
            teacher_training=n % 3 == 0,
        )  # fmt: skip
        programme.search_text = programme.code
        programmes.append(programme)
    programmes = Programme.objects.bulk_create(programmes)
    years = list(range(FIRST_INTAKE, FIRST_INTAKE + args.intakes))
    per_intake = args.students // args.intakes
    classes = args.classes
    size = per_intake // (len(programmes) * classes)
    intakes = Intake.objects.bulk_create(
        [Intake(programme=p, year=y, quota=size * classes + 20) for p in programmes for y in years]
    )
    EnrolmentCount.objects.bulk_create(
        [
            EnrolmentCount(
                intake=i, counted_on=dt.date(i.year, 9, 30), applications=i.quota * 2,
                admitted=i.quota, enrolled=size * classes,
            )
            for i in intakes
        ]
    )  # fmt: skip
    people = list(Person.objects.filter(school=school).order_by("pk").values_list("pk", flat=True))
    cohorts = []
    for year in years:
        for p_index, programme in enumerate(programmes):
            for c in range(classes):
                cohorts.append(
                    Cohort(
                        school=school, programme=programme, intake_year=year,
                        code=f"K{year % 100}-{programme.code}-{c + 1}", starts_on=dt.date(year, 9, 5),
                        terms=8, adviser_id=people[(p_index * classes + c) % len(people)],
                        search_text=f"k{year % 100}",
                    )
                )  # fmt: skip
    Cohort.objects.bulk_create(cohorts)
    return {**facts, "programmes": len(programmes), "cohorts": len(cohorts), "class_size": size}


def student_list(school_id: int, rng: random.Random, changed: set[int] | None = None) -> bytes:
    """The training-management program's export: every class's students (`changed`: the rows
    whose address differs, for a re-import)."""
    cohorts = list(
        Cohort.objects.filter(school_id=school_id)
        .order_by("intake_year", "code")
        .values_list("code", "intake_year", "programme_id")
    )
    size = max(1, STUDENTS // len(cohorts))
    # Written as Excel writes a file, with its <dimension> (a file without one costs openpyxl a
    # whole extra reading of the sheet when it opens it).
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Người học"
    sheet.append(["Mã người học", "Họ và tên", "Ngày sinh", "Lớp", "Ngày nhập học", "Địa chỉ",
                  "Điện thoại"])  # fmt: skip
    n = 0
    for code, year, _programme in cohorts:
        for _k in range(size):
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            birth = dt.date(year - 18, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
            address = f"Số {n % 300 + 1}, {WARDS[n % len(WARDS)]}, Lạng Sơn"
            if changed is not None and n in changed:
                address = f"Số {n % 300 + 1} (mới), {WARDS[(n + 1) % len(WARDS)]}, Lạng Sơn"
            sheet.append([f"SV{year}{n:06d}", name, birth, code, dt.date(year, 9, 5), address,
                          f"09{n:08d}"])  # fmt: skip
            n += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


STUDENTS = 30_000  # set from --students in main()


def changes_and_results(
    facts: dict[str, Any], args: argparse.Namespace, rng: random.Random
) -> dict[str, Any]:
    """COPY: ten changes of status a student (valid sequences), the term results of each
    student's semesters up to the day, the warnings of the weak ones; the current status."""
    school_id = facts["school"]
    students = list(
        Student.objects.filter(school_id=school_id)
        .order_by("pk")
        .values_list("pk", "entered_on", "cohort__intake_year")
    )
    per_student = args.changes // len(students)
    changes, statuses = [], []
    next_change = 1
    for pk, entered, _year in students:
        span = (DAY - entered).days - 2
        count = (
            per_student
            if rng.random() < 0.5
            else per_student + (1 if args.changes % len(students) else 0)
        )
        days = sorted(rng.sample(range(1, max(span, count + 2)), count))
        kinds: list[str] = []
        leave = rng.random()
        finished = entered.replace(year=entered.year + 4) < DAY  # an eight-term course
        for index in range(count):
            last = index == count - 1
            if last and leave < 0.2:  # a quarter of them leave, whatever their last change
                kinds.append(
                    rng.choice(
                        ["withdrawn", "withdrawn", "expelled", "transferred", "changed_programme"]
                    )
                )
            elif last and finished:
                kinds.append("graduated")
            elif index % 2 == 0:
                if last and leave < 0.25:
                    kinds.append(
                        rng.choice(
                            [
                                "withdrawn",
                                "withdrawn",
                                "expelled",
                                "transferred",
                                "changed_programme",
                            ]
                        )
                    )
                else:
                    kinds.append(rng.choice(["suspended", "deferred"]))
            else:
                kinds.append("returned")
        status = "studying"
        for day, kind in zip(days, kinds, strict=True):
            reason = {"returned": "other", "withdrawn": rng.choice(["financial", "family", "employment"]),
                      "expelled": "academic", "transferred": "study_elsewhere",
                      "changed_programme": "study_elsewhere", "graduated": "completed"}.get(kind, rng.choice(["health", "family", "military"]))  # fmt: skip
            changes.append({
                "id": next_change, "student_id": pk, "kind": kind,
                "happened_on": entered + dt.timedelta(days=day), "reason": reason, "note": "",
                "new_programme_id": None,
            })  # fmt: skip
            next_change += 1
            status = STATUS_AFTER[kind]
        statuses.append((pk, status))
    tb.copy_rows(StatusChange, changes)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_status (id integer, status varchar(20))")
        with cursor.cursor.copy("COPY bench_status (id, status) FROM STDIN") as copy:
            for row in statuses:
                copy.write_row(row)
        cursor.execute(
            "UPDATE students_student s SET status = b.status FROM bench_status b "
            "WHERE s.id = b.id AND s.status <> b.status"
        )
    # Term results: each semester of the course begun and ended by the day.
    results, warnings = [], []
    next_result = (TermResult.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rule = "Điểm trung bình học kỳ dưới 1: %s (Thông tư 08/2021/TT-BGDĐT, Điều 11)"
    for pk, _entered, year in students:
        for term in range(1, 9):
            school_year, semester = year + (term - 1) // 2, 2 - term % 2
            ends = (
                dt.date(school_year + 1, 1, 31)
                if semester == 1
                else dt.date(school_year + 1, 7, 31)
            )
            if ends > DAY:
                break
            average = round(rng.triangular(0.4, 4.0, 2.9), 2)
            results.append({
                "id": next_result, "school_id": school_id, "student_id": pk, "school_year": school_year,
                "semester": semester, "term_average": average, "cumulative_average": round(min(4.0, average + 0.2), 2),
                "credits_registered": 18, "credits_failed": 0 if average >= 2 else 6, "credits_outstanding": 0,
                "absences": rng.randint(0, 6), "fees_unpaid": 0, "conduct_score": rng.randint(60, 95),
            })  # fmt: skip
            next_result += 1
            if average < 1.0:
                warnings.append({
                    "school_id": school_id, "student_id": pk, "school_year": school_year,
                    "semester": semester, "reasons": json.dumps([rule % f"{average:.2f}".replace(".", ",")], ensure_ascii=False),
                    "status": "open", "task_id": None, "outcome": "", "outcome_on": None, "lifted": False,
                })  # fmt: skip
    own_results = len(results)
    tb.copy_rows(TermResult, results)
    tb.copy_rows(AcademicWarning, warnings)
    others = province_results(max(0, args.results - own_results), rng, next_result)
    tb.reset_sequences(StatusChange, TermResult, AcademicWarning, Student, Cohort, Programme)
    return {
        "changes": len(changes), "results_university": own_results, "results_province": others,
        "warnings": len(warnings),
        "studying": sum(1 for _pk, s in statuses if s == "studying"),
    }  # fmt: skip


def province_results(wanted: int, rng: random.Random, next_result: int) -> int:
    """Other schools of the province with students and term results (eight semesters each),
    so that the tables hold the criterion's 2 000 000 results."""
    if wanted <= 0:
        return 0
    per_school = 9_000
    schools = max(1, -(-wanted // (per_school * 8)))
    next_student = (Student.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    made = 0
    for s in range(schools):
        school = Organisation.objects.create(
            name=f"Trường Cao đẳng tỉnh số {s + 1}", kind="school", code=f"pv-{s}"
        )
        programme = Programme.objects.create(school=school, code="51140201", name="Giáo dục Mầm non",
                                             level="college", mode="full_time")  # fmt: skip
        cohort = Cohort.objects.create(school=school, programme=programme, code="K19", intake_year=2019,
                                       starts_on=dt.date(2019, 9, 5), terms=8)  # fmt: skip
        students, results = [], []
        for n in range(min(per_school, -(-(wanted - made) // 8))):
            name = f"Người Học {s}-{n}"
            students.append({
                "id": next_student, "school_id": school.pk, "cohort_id": cohort.pk, "code": f"P{s}-{n}",
                "full_name": name, "birth_date": dt.date(2001, 1, 1), "address": "", "phone": "",
                "entered_on": cohort.starts_on, "status": "graduated", "name_key": name_key(name),
                "is_sample": False, "archived_at": None, "search_text": name.lower(),
            })  # fmt: skip
            for term in range(1, 9):
                if made >= wanted:
                    break
                results.append({
                    "id": next_result, "school_id": school.pk, "student_id": next_student,
                    "school_year": 2019 + (term - 1) // 2, "semester": 2 - term % 2,
                    "term_average": round(rng.uniform(1.5, 4.0), 2), "cumulative_average": 2.8,
                    "credits_registered": 18, "credits_failed": 0, "credits_outstanding": 0,
                    "absences": 0, "fees_unpaid": 0, "conduct_score": 80,
                })  # fmt: skip
                next_result += 1
                made += 1
            next_student += 1
        tb.copy_rows(Student, students)
        tb.copy_rows(TermResult, results)
        if made >= wanted:
            break
    return made


def dormitory(facts: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Two terms of 2024–2025; 6 buildings of 60 rooms of 8 beds; the second term's places for
    studying students, and the off-campus students' declarations (about 85 % declared)."""
    school = Organisation.objects.get(pk=facts["school"])
    Term.objects.create(school=school, name="Học kỳ 1 năm học 2024–2025", starts_on=dt.date(2024, 8, 15),
                        ends_on=dt.date(2025, 1, 14), declare_from=dt.date(2024, 8, 15),
                        declare_until=dt.date(2024, 9, 30))  # fmt: skip
    term = Term.objects.create(school=school, name="Học kỳ 2 năm học 2024–2025", starts_on=dt.date(2025, 1, 15),
                               ends_on=dt.date(2025, 7, 31), declare_from=dt.date(2025, 1, 15),
                               declare_until=dt.date(2025, 3, 31))  # fmt: skip
    rooms = []
    for b in range(6):
        building = Building.objects.create(school=school, name=f"Nhà K{b + 1}", gender="male" if b < 3 else "female",
                                           search_text=f"nha k{b + 1}")  # fmt: skip
        rooms += [Room(building=building, name=f"{100 * (r // 20 + 1) + r % 20 + 1}", floor=r // 20 + 1,
                       capacity=8, search_text="") for r in range(60)]  # fmt: skip
    rooms = Room.objects.bulk_create(rooms)
    studying = list(
        Student.objects.filter(school=school, status="studying")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng.shuffle(studying)
    beds = [(room.pk, bed) for room in rooms for bed in range(1, 9)]
    placed = studying[: len(beds) - 80]
    allocations = [
        {"term_id": term.pk, "student_id": pk, "room_id": room, "bed": bed,
         "priority": rng.choice(["policy", "ethnic_remote", "first_year", "other"]),
         "moved_in_on": dt.date(2025, 1, 15), "left_on": None, "note": ""}
        for pk, (room, bed) in zip(placed, beds, strict=False)
    ]  # fmt: skip
    tb.copy_rows(Allocation, allocations)
    now = timezone.now()
    declarations = []
    for n, pk in enumerate(studying[len(placed) :]):
        if rng.random() < 0.15:
            continue
        rented = rng.random() < 0.5
        declarations.append({
            "term_id": term.pk, "student_id": pk, "housing": "rented" if rented else "family",
            "address": f"Số {n % 200 + 1}, ngõ {n % 17 + 1}", "ward": WARDS[n % len(WARDS)],
            "province": "Lạng Sơn", "landlord": "Hoàng Văn Chủ" if rented else "",
            "landlord_phone": "0912345678" if rented else "", "phone": "", "declared_at": now,
            "source": "link",
        })  # fmt: skip
    tb.copy_rows(Declaration, declarations)
    tb.reset_sequences(Allocation, Declaration, Room, Building, Term)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "term": term.pk,
        "beds": len(beds),
        "placed": len(allocations),
        "declared": len(declarations),
    }


# The import through its page -----------------------------------------------------------------


def request(port: int, method: str, path: str, cookie: str, body: bytes = b"",
            content_type: str = "") -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Cookie": cookie, "Host": "127.0.0.1"}
    if content_type:
        headers["Content-Type"] = content_type
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), data


def import_list(port: int, session: str, data: bytes) -> dict[str, Any]:
    """The student list through /students/import/students/: upload (dry run), then confirm."""
    path = "/students/import/students/"
    status, headers, page = request(port, "GET", path, session)
    assert status == 200, status
    csrf = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    form = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf and form
    cookie = f"{session}; csrftoken={csrf[1]}"
    token = form[1].decode()
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="nguoi-hoc.xlsx"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    began = time.perf_counter()
    status, _h, preview = request(
        port, "POST", path, cookie, body, f"multipart/form-data; boundary={boundary}"
    )
    dry = time.perf_counter() - began
    if status != 200:
        raise SystemExit(f"dry run: HTTP {status}\n{preview[:2000]!r}")
    confirm = re.search(rb'name="token" value="([0-9a-f]+)"', preview)
    summary = re.search(rb'id="import-summary"[^>]*>([^<]+)<', preview)
    assert confirm, preview[:2000]
    form_body = f"csrfmiddlewaretoken={token}&token={confirm[1].decode()}".encode()
    began = time.perf_counter()
    status, headers, answer = request(
        port, "POST", path, cookie, form_body, "application/x-www-form-urlencoded"
    )
    commit = time.perf_counter() - began
    if status != 302:
        raise SystemExit(f"commit: HTTP {status}\n{answer[:2000]!r}")
    return {
        "dry_run_s": round(dry, 2), "commit_s": round(commit, 2), "total_s": round(dry + commit, 2),
        "preview_kb": len(preview) // 1024, "rows": STUDENTS,
        "summary": summary[1].decode().strip() if summary else "",
    }  # fmt: skip


# Serving and measuring ---------------------------------------------------------------------------


def serve(port: int, day: str) -> None:
    """`--serve`: runserver on the school's day (a child process of the benchmark)."""
    from django.core.management import execute_from_command_line

    with school_day(dt.date.fromisoformat(day)):
        execute_from_command_line(["manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"])


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "trongtam.settings", "LOG_LEVEL": "WARNING",
    }  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), "--day", DAY.isoformat()],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    # Up to two minutes: on a busy shared machine the server takes more than 30 s to start.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request(
                "GET", "/tracking/health/"
            )
            return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def page_list(args: argparse.Namespace, facts: dict[str, Any]) -> list[tuple[str, str]]:
    cohort = (
        Cohort.objects.filter(school_id=facts["school"], intake_year=2022)
        .order_by("code")
        .values_list("pk", flat=True)
        .first()
    )
    term = facts["term"]
    rows = [
        ("floor (minimal page)", "/tracking/floor/"),
        (f"cohort × term matrix ({facts['cohorts']} classes)", "/students/retention/"),
        ("a cell of the matrix (drill-down)", f"/students/retention/{cohort}/5/"),
        ("warning list (latest semester, page of 50)", "/students/warnings/"),
        ("enrolment against quota", "/students/enrolment/"),
        ("dropout", "/students/dropout/"),
        ("students' home (scale by level and year)", "/students/"),
        ("residence overview", f"/residence/?term={term}"),
        ("dormitory (360 rooms)", f"/residence/dormitory/?term={term}"),
        ("places (page of 50)", f"/residence/places/?term={term}"),
        ("off-campus declarations (page of 50)", f"/residence/declarations/?term={term}"),
        ("not declared (page of 50)", f"/residence/declarations/?term={term}&missing=1"),
        ("declared by ward", f"/residence/wards/?term={term}"),
        ("links by class", f"/residence/links/?term={term}"),
    ]
    return [r for r in rows if not args.only or any(w in r[1] for w in args.only.split(","))]


def pages(args: argparse.Namespace, facts: dict[str, Any], cookie: str) -> list[dict[str, Any]]:
    results = []
    for name, path in page_list(args, facts):
        results.append({"page": name, **tb.measure(args.port, path, cookie, args.runs)})
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    return results


def profile(args: argparse.Namespace, facts: dict[str, Any]) -> None:
    """`--profile N`: each page in-process (Django's test client, the school's day) under
    cProfile, twice (the first request fills what is cached): its queries and slowest functions."""
    import cProfile
    import pstats

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    leader = get_user_model().objects.get(pk=facts["leader"])
    with (
        override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False, SECURE_SSL_REDIRECT=False),
        school_day(DAY),
    ):
        for name, path in page_list(args, facts):
            client = Client()
            client.force_login(leader)
            for attempt in ("first", "again"):
                profiler = cProfile.Profile()
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    profiler.enable()
                    response = client.get(path)
                    profiler.disable()
                    took = (time.perf_counter() - began) * 1000
                sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
                print(
                    f"\n## {name} ({attempt}): {response.status_code}, {took:.0f} ms, "
                    f"{len(queries)} queries ({sql:.0f} ms of SQL), {len(response.content) // 1024} KB"
                )
                for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                    print(f"  {float(query['time']) * 1000:.1f} ms: {query['sql'][:300]}")
                if attempt == "again" or args.profile_first:
                    stats = pstats.Stats(profiler)
                    stats.sort_stats("cumulative").print_stats(args.profile)
                    stats.sort_stats("tottime").print_stats(args.profile)


def main() -> int:
    global STUDENTS
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=30_000)
    parser.add_argument("--intakes", type=int, default=10)
    parser.add_argument("--programmes", type=int, default=30)
    parser.add_argument("--classes", type=int, default=2, help="classes a programme and intake")
    parser.add_argument("--changes", type=int, default=300_000)
    parser.add_argument("--results", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--port", type=int, default=8015)
    parser.add_argument("--only", help="measure only the pages whose path has one of these")
    parser.add_argument("--json")
    parser.add_argument("--profile", type=int, metavar="TOP", help="profile the pages in-process")
    parser.add_argument("--profile-first", action="store_true", help="also the first request")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--day", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.day)
        return 0
    if connection.vendor != "postgresql":
        raise SystemExit("Run under scripts/with-postgres.sh (PostgreSQL).")
    STUDENTS = args.students
    rng = random.Random(2025)
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    facts = university(args)
    data = student_list(facts["school"], random.Random(7))
    print(json.dumps(facts, ensure_ascii=False), flush=True)
    server = start_server(args.port)
    loads = [load()]
    try:
        leader = tb.session_cookie(facts["leader"])
        imported = import_list(args.port, leader, data)
        print("first import:", json.dumps(imported, ensure_ascii=False), flush=True)
        changed = set(random.Random(3).sample(range(STUDENTS), STUDENTS // 20))
        again = import_list(
            args.port, leader, student_list(facts["school"], random.Random(7), changed)
        )
        print("re-import:", json.dumps(again, ensure_ascii=False), flush=True)
        loads.append(load())
        built = time.perf_counter()
        with school_day(DAY):
            facts.update(changes_and_results(facts, args, rng))
            facts.update(dormitory(facts, rng))
            # The COPY above stands for the imports of changes and results, whose commit renews
            # the school's students figures (students.versions) as every service does.
            versions.changed(facts["school"])
        facts["seconds_build"] = round(time.perf_counter() - built, 1)
        facts["seconds_migrate"] = round(migrated - began, 1)
        print(json.dumps(facts, ensure_ascii=False), flush=True)
        loads.append(load())
        if args.profile:
            profile(args, facts)
            return 0
        results = pages(args, facts, leader)
        loads.append(load())
    finally:
        server.terminate()
        server.wait(timeout=10)
    print("\n| import of the student list (rows) | dry run s | commit s | total s | preview KB |")
    print("|---|---:|---:|---:|---:|")
    for name, row in (("first import (all new)", imported), ("re-import (5 % changed)", again)):
        print(
            f"| {name}: {row['summary']} | {row['dry_run_s']} | {row['commit_s']} | **{row['total_s']}** | {row['preview_kb']} |"
        )
    print(
        "\n| page | p50 ms | p95 ms | floor p50 / p95 ms (same window) | p50 / floor | "
        "p95 / floor | size KB |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    for row in results:
        print(
            f"| {row['page']} | {row['p50']} | {row['p95']} | {row['floor_p50']} / "
            f"{row['floor_p95']} | {row['ratio_p50']} | {row['ratio']} | {row['kb']} |"
        )
    print("\nload (uptime): " + " → ".join(loads))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"facts": facts, "imports": [imported, again], "pages": results, "load": loads},
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
    ok = imported["total_s"] < TARGET_SECONDS and again["total_s"] < TARGET_SECONDS
    print(
        f"target: the {STUDENTS}-row import under {TARGET_SECONDS:.0f} s: {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    from django_scopes import scopes_disabled

    if "--serve" in sys.argv:  # the server's requests run in their own scopes
        sys.exit(main())
    with scopes_disabled():  # a benchmark, like a command, reads every school on purpose
        sys.exit(main())
