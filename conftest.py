"""Shared fixtures: a small school with one person per role, and an outsider from another school;
the demo school loaded once per test module; the browser scenarios' Chromium and live server."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import post_migrate
from django.test import Client
from django_scopes import scopes_disabled

from conferences.kinds import sync_conference_kinds
from conferences.models import ConferenceKind
from core.browser import browser, chromium_path
from demo.loader import DEMO_PASSWORD, load_demo
from documents.catalogue import sync_document_types
from documents.models import Document, DocumentType
from emulation.models import BaseSalary, BonusScale, RuleSet
from emulation.seed import sync_bonuses, sync_rule_sets
from organisations.models import Organisation, Person, Position, Role
from planning import services
from planning.models import Plan, Target, Task, WorkArea
from residence.models import Reference
from residence.seed import sync_references
from students.models import Benchmark, WarningRule
from students.models_support import SupportRule
from students.seed import sync_benchmarks, sync_support_rules, sync_warning_rules
from training.models import StepTemplate
from training.seed import sync_steps

ROLES = ["anonymous", "outsider", "staff", "unit_head", "leadership"]


def reload_migrated_rows(sender: AppConfig, **kwargs: Any) -> None:
    """Put back the rows the data migrations load (document types, conference kinds, the national
    emulation rule sets, base salaries and bonus scales).

    A transactional test ends by flushing every table, and the flush then sends post_migrate:
    the tests after it on the same process (pytest-xdist hands a worker whole files in any
    order, transactional ones among them) find the database as migrating left it.
    """
    if sender.name == "documents":
        sync_document_types(DocumentType)
    elif sender.name == "conferences":
        sync_conference_kinds(ConferenceKind)
    elif sender.name == "emulation":
        sync_rule_sets(RuleSet)
        sync_bonuses(BaseSalary, BonusScale)
    elif sender.name == "students":
        sync_benchmarks(Benchmark)
        sync_warning_rules(WarningRule)
        sync_support_rules(SupportRule)
    elif sender.name == "residence":
        sync_references(Reference)
    elif sender.name == "training":
        sync_steps(StepTemplate)


RELOAD_UID = "tests-reload-migrated-rows"
post_migrate.connect(reload_migrated_rows, dispatch_uid=RELOAD_UID)


DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def empty_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Cached pages are keyed by row ids, which a rolled-back test hands out again. The cache is
    a table of the test database (settings.CACHES), emptied around every test that may reach the
    database (a test that may not cannot read the cache either)."""
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(request.fixturenames)
    )
    if not uses_database:
        yield
        return
    from django.core.cache import cache

    django_db_blocker = request.getfixturevalue("django_db_blocker")
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        cache.clear()
    yield
    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture(autouse=True, scope="session")
def unscoped_test_body() -> Iterator[None]:
    """Test bodies and fixtures (of any scope) make and read rows of several schools directly:
    scopes are disabled around the whole session, as in a job or a command. A request through the
    test client still runs in the scope the middleware gives it (organisations.scoping); a test of
    the scoping itself enters its own."""
    with scopes_disabled():
        yield


@dataclass
class World:
    school: Organisation
    office: Organisation  # Phòng Đào tạo, headed by `unit_head`
    faculty: Organisation  # Khoa Tự nhiên, where `staff` works
    group: Organisation  # Tổ Toán, under the faculty
    other_school: Organisation
    users: dict[str, Any]
    people: dict[str, Person]
    plan: Plan
    area: WorkArea
    target: Target
    task: Task  # led by the faculty, coordinated by the office
    subtask: Task
    unit_task: Task  # the office's own task, serving `task`
    document: Document

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


def make_person(
    school: Organisation, unit: Organisation, name: str, username: str, title: str, role: str
) -> tuple[Person, Any]:
    user = get_user_model().objects.create_user(username=username, password="x-" + username)
    person = Person.objects.create(full_name=name, school=school, user=user)
    Position.objects.create(person=person, organisation=unit, title=title, role=role)
    return person, user


@pytest.fixture
def world(db: Any) -> World:
    ministry = Organisation.objects.create(
        name="Bộ Giáo dục và Đào tạo", abbreviation="BGDĐT", kind="ministry"
    )
    school = Organisation.objects.create(
        name="Trường Cao đẳng Mẫu",
        short_name="CĐ Mẫu",
        kind="school",
        code="cd-mau",
        parent=ministry,
    )
    board = Organisation.objects.create(
        name="Ban Giám hiệu", kind="board", parent=school, code="bgh"
    )
    office = Organisation.objects.create(
        name="Phòng Đào tạo", kind="office", parent=school, code="pdt"
    )
    faculty = Organisation.objects.create(
        name="Khoa Tự nhiên", kind="faculty", parent=school, code="ktn"
    )
    group = Organisation.objects.create(
        name="Tổ Toán", kind="subject_group", parent=faculty, code="to-toan"
    )
    other_school = Organisation.objects.create(name="Trường Khác", kind="school", code="khac")
    other_unit = Organisation.objects.create(name="Phòng Khác", kind="office", parent=other_school)

    people: dict[str, Person] = {}
    users: dict[str, Any] = {}
    for role, (unit, name, title, perm) in {
        "leadership": (school, "Phùng Quý Sơn", "Hiệu trưởng", Role.LEADERSHIP),
        "unit_head": (office, "Nguyễn Thị Phương Loan", "Trưởng phòng", Role.HEAD),
        "staff": (group, "Hoàng Văn An", "Giảng viên", Role.MEMBER),
        "clerk": (office, "Lý Thị Hoa", "Văn thư", Role.CLERK),
    }.items():
        people[role], users[role] = make_person(school, unit, name, role, title, perm)
    Position.objects.create(
        person=people["leadership"], organisation=board, title="Hiệu trưởng", role=Role.LEADERSHIP
    )
    people["outsider"], users["outsider"] = make_person(
        other_school, other_unit, "Người Ngoài", "outsider", "Hiệu trưởng", Role.LEADERSHIP
    )

    qd = DocumentType.objects.get(code="QĐ")
    document = Document.objects.create(
        school=school,
        doc_type=qd,
        number="2457",
        issuer_code="BGDĐT",
        issued_on=dt.date(2023, 8, 23),
        issuer=ministry,
        issuer_name="Bộ trưởng Bộ Giáo dục và Đào tạo",
        summary="Ban hành Kế hoạch nhiệm vụ, giải pháp trọng tâm năm học 2023-2024",
    )
    by = users["leadership"]
    plan = services.create_plan(
        school=school, start_year=2023, title="Kế hoạch năm học 2023–2024", by=by
    )
    services.set_plan_bases(plan, [document], by=by)
    area = services.save_plan_object(WorkArea(plan=plan, name="Đào tạo"), by=by)
    target = services.save_plan_object(
        Target(
            plan=plan,
            area=area,
            name="Tỷ lệ tuyển sinh",
            unit_of_measure="%",
            target_value=Decimal("90"),
            responsible_unit=office,
        ),
        by=by,
    )
    task = services.save_plan_object(
        Task(
            plan=plan,
            title="Tuyển sinh và duy trì sĩ số",
            lead_unit=faculty,
            area=area,
            person_in_charge=people["staff"],
            start_date=dt.date(2023, 9, 1),
            due_date=dt.date(2024, 5, 31),
            target=target,
        ),
        by=by,
    )
    services.set_coordinations(task, [(office, "Tổng hợp số liệu tuyển sinh")], by=by)
    services.link_basis(task, document, clause="Mục II.5", by=by)
    subtask = services.save_plan_object(
        Task(plan=plan, parent=task, kind="solution", title="Tư vấn tuyển sinh", lead_unit=group),
        by=by,
    )
    unit_task = services.save_plan_object(
        Task(
            plan=plan,
            title="Cập nhật cổng tuyển sinh",
            owner_unit=office,
            lead_unit=office,
            serves=task,
        ),
        by=by,
    )
    services.allocate_target(target, office, Decimal("90"), by=by)
    return World(
        school=school, office=office, faculty=faculty, group=group, other_school=other_school,
        users=users, people=people, plan=plan, area=area, target=target, task=task,
        subtask=subtask, unit_task=unit_task, document=document,
    )  # fmt: skip


def commit() -> int:
    """Run the on-commit callbacks queued so far and forget them, as a commit would (the test's
    transaction never commits; equal callbacks are queued once per transaction, so those left
    queued would swallow the next ones: see planning/figures_cache.py)."""
    from django.db import connection

    queued = [entry[1] for entry in connection.run_on_commit]
    connection.run_on_commit.clear()
    for callback in queued:
        callback()
    return len(queued)


@pytest.fixture
def settled(world: World) -> World:
    """The world as if its setup had committed: a test's own change is then the only one waiting
    for `commit()`."""
    commit()
    return world


def close_response(response: Any) -> None:
    """Close a response that serves a file, as Django's test client closes its own: without the
    request_finished signal, whose close_old_connections would close the test's database
    connection inside its transaction (PostgreSQL then fails every later query of the test)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo_plan(django_db_setup: None, django_db_blocker: Any) -> Iterator[Plan]:
    """The demo school (demo.loader), loaded once for the tests of a module that read it.

    Loaded inside a transaction that stays open for the module and is rolled back after it: each
    test runs in a savepoint of it (pytest-django's `db`), so what one test changes is undone
    before the next. Not for transactional tests, which would flush the tables under it. In
    parallel runs a module's tests stay on one worker (scripts/test.sh: `--dist loadfile`).
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            plan, _accounts = load_demo()
            assert plan is not None
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield plan
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def chromium() -> Iterator[Any]:
    """Debian's Chromium (core.browser), skipped where it is missing, required under CI."""
    if chromium_path() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required under CI (Debian package 'chromium').")
        pytest.skip("Chromium is not installed")
    with browser() as instance:
        yield instance


@pytest.fixture
def demo_server(transactional_db: None, live_server: Any) -> str:
    """The demo school served by a live server (on a free port of its own), for a browser.

    Loaded afresh for every scenario: the server's thread sees only committed rows, and a
    transactional test empties the tables after it.
    """
    plan, _accounts = load_demo()
    if plan is None:
        # A demo school left by an earlier test of this worker (seen once in a parallel run of
        # the whole suite, not reproduced since): the loader keeps an existing demo as it is,
        # and a scenario must start from the fresh one.
        call_command("flush", interactive=False, verbosity=0)
        plan, _accounts = load_demo()
        assert plan is not None
    return str(live_server.url)


def login(page: Any, base: str, username: str) -> None:
    """Log a browser page in as one of the demo accounts."""
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
