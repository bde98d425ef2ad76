"""The year's evidence kept in the cache under the plan's figures version
(emulation.evidence_cache): a page view reads what an earlier one computed, and every change of
what the evidence reads (a check-in, a task, an evidence file, a target's allocation or reading,
a position, the reporting period, the teaching load, a person) shows on the next view once it
commits; inside the transaction that made it, at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World, commit
from emulation.models import Evaluation
from emulation.services import evaluations as evaluation_services
from emulation.tests.conftest import ASSESSMENT_DAY, Cycle
from emulation.tests.evidence_helpers import Year, build_year, evidence_file, more_people, report
from organisations.models import Person, Position, Role
from planning.models import TargetAllocation
from tracking.models import ReminderPolicy, TargetReading
from workload.models import Lecturer, Norm, Section, Term

DAY = "?on=14/06/2024"
CACHE_TABLE = "trongtam_cache"


@pytest.fixture
def year(world: World) -> Year:
    """The evidence tests' year, committed: a test's own change is the only one waiting."""
    made = build_year(world)
    commit()
    return made


def person_url(world: World, role: str) -> str:
    return reverse("emulation_evidence:person", args=[world.plan.pk, world.people[role].pk])


def unit_url(world: World) -> str:
    return reverse("emulation_evidence:unit", args=[world.plan.pk, world.faculty.pk])


def figure(text: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', text)
    assert found is not None, name
    return found.group(1)


def evidence_entries() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {CACHE_TABLE} WHERE cache_key LIKE %s", ["%evidence:%"]
        )
        return int(cursor.fetchone()[0])


def main(text: str) -> str:
    return text.split('id="main"')[1].split("</main>")[0]


def page(c: Client, url: str) -> str:
    response = c.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# Each change: what it does, and what the staff member's page shows after it (before it: tasks 8,
# "5/22 kỳ" reports, targets 1/2, teaching 250,5/270).
Change = Callable[[Year], None]


def checkin(y: Year) -> None:
    report(y.tasks["D"], y.world.group, dt.date(2024, 6, 1), on_time=True)


def task_handed_over(y: Year) -> None:
    task = y.tasks["D"]
    task.person_in_charge = None
    task.save()


def new_file(y: Year) -> None:
    evidence_file(y.checkins["D-1"], "bang-diem-moi.pdf")


def allocation_raised(y: Year) -> None:
    allocation = TargetAllocation.objects.get(target=y.targets["CT03"])
    allocation.value = Decimal(13)  # the group's reading of 12 no longer meets it
    allocation.save()


def reading(y: Year) -> None:
    TargetReading.objects.create(
        target=y.targets["CT03"], value=9, measured_on=dt.date(2024, 5, 2),
        checkin=report(y.tasks["A"], y.world.group, dt.date(2024, 5, 2), on_time=True),
    )  # fmt: skip


def made_head_of_the_office(y: Year) -> None:
    Position.objects.create(
        person=y.world.people["staff"], organisation=y.world.office, title="Phó trưởng phòng",
        role=Role.HEAD,
    )  # fmt: skip


def reporting_period(y: Year) -> None:
    ReminderPolicy.objects.update_or_create(
        school=y.world.school, defaults={"checkin_period_days": 15}
    )


def section(y: Year) -> None:
    Section.objects.create(
        term=Term.objects.get(school=y.world.school, start_year=2023, semester=1),
        code="GT9", course="Đại số", group=y.world.group,
        kind=Section.objects.filter(code="GT1").get().kind, units=Decimal(10), class_size=40,
        hours=Decimal(10), assigned_to=Lecturer.objects.get(person=y.world.people["staff"]),
    )  # fmt: skip


def section_archived(y: Year) -> None:
    Section.objects.get(code="GT1").archive()


def norm(y: Year) -> None:
    row = Norm.objects.get(title="Giảng viên")
    row.hours_per_year = 300
    row.save()


def lecturer_title(y: Year) -> None:
    lecturer = Lecturer.objects.get(person=y.world.people["staff"])
    lecturer.title = "Giảng viên chính"  # no norm for it: no target
    lecturer.save()


def term_moved(y: Year) -> None:
    term = Term.objects.get(school=y.world.school, start_year=2023, semester=2)
    term.start_year = 2022
    term.save()


def renamed(y: Year) -> None:
    person = Person.objects.get(pk=y.world.people["staff"].pk)
    person.full_name = "Nguyễn Thị Đổi Tên"
    person.save()


CHANGES: dict[str, tuple[Change, Callable[[str], bool]]] = {
    "check-in": (checkin, lambda t: "5/22 kỳ" not in t and figure(t, "checkins") != "22,7%"),
    "task handed over": (task_handed_over, lambda t: figure(t, "tasks") == "7"),
    "evidence file": (new_file, lambda t: "bang-diem-moi.pdf" in t),
    "allocation": (allocation_raised, lambda t: figure(t, "targets") == "0/2"),
    "reading": (reading, lambda t: figure(t, "targets") == "0/2"),
    "position": (made_head_of_the_office, lambda t: figure(t, "tasks") != "8"),
    "reporting period": (reporting_period, lambda t: "5/22 kỳ" not in t),
    "section": (section, lambda t: figure(t, "teaching") == "260,5/270"),
    "section archived": (section_archived, lambda t: figure(t, "teaching") == "150,5/270"),
    "norm": (norm, lambda t: figure(t, "teaching") == "250,5/300"),
    "lecturer's title": (lecturer_title, lambda t: figure(t, "teaching") != "250,5/270"),
    "term": (term_moved, lambda t: figure(t, "teaching") == "100/270"),
    "person": (renamed, lambda t: "Nguyễn Thị Đổi Tên" in t),
}


def before(text: str) -> None:
    assert figure(text, "tasks") == "8" and "5/22 kỳ" in text
    assert figure(text, "targets") == "1/2" and figure(text, "teaching") == "250,5/270"
    assert "bang-diem-moi.pdf" not in text and "Nguyễn Thị Đổi Tên" not in text


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("role", ["staff", "leadership"])
def test_a_committed_change_shows_on_the_next_view(year: Year, change: str, role: str) -> None:
    world = year.world
    c = world.client(role)
    url = person_url(world, "staff") + DAY
    before(page(c, url))
    assert evidence_entries() >= 1  # kept: the next view reads it
    make, shows = CHANGES[change]
    make(year)
    assert commit() >= 1  # the change moves the figures version once it commits
    after = page(c, url)
    assert shows(after), change
    # And it is kept again, for the view after.
    assert main(page(c, url)) == main(after)


@pytest.mark.parametrize("change", ["check-in", "section", "position"])
def test_inside_the_changing_transaction_the_evidence_is_computed(year: Year, change: str) -> None:
    world = year.world
    c = world.client("leadership")
    url = person_url(world, "staff") + DAY
    before(page(c, url))
    make, shows = CHANGES[change]
    make(year)  # not committed yet: the version has not moved
    assert shows(page(c, url)), change


def test_the_unit_page_shows_a_committed_change(year: Year) -> None:
    world = year.world
    c = world.client("leadership")
    url = unit_url(world) + DAY
    first = page(c, url)
    assert figure(first, "tasks") == "10"
    task_handed_over(year)  # still the group's: the unit's tasks are the same
    report(year.tasks["D"], world.group, dt.date(2024, 6, 1), on_time=True)
    commit()
    assert figure(page(c, url), "checkins") != figure(first, "checkins")


def count(c: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(c, url)
    return len(queries)


@pytest.mark.parametrize("which", ["person", "unit"])
def test_a_kept_page_reads_the_cache_instead_of_computing(year: Year, which: str) -> None:
    world = year.world
    c = world.client("leadership")
    url = (person_url(world, "staff") if which == "person" else unit_url(world)) + DAY
    page(c, url)
    commit()
    c.get(reverse("emulation_evidence:index"))  # the session warm
    from django.core.cache import cache

    cache.clear()
    cold = count(c, url)
    warm = count(c, url)
    # The evidence's own dozen and more queries are one read of the cache.
    assert warm <= cold - 10, (cold, warm)
    more_people(world, 5, world.group)
    commit()
    page(c, url)
    assert count(c, url) == warm


# The unit's review page (emulation.facts.campaign_evidence) ---------------------------------


@pytest.fixture
def cycle_year(cycle: Cycle) -> Year:
    made = build_year(cycle.world)
    cycle.clock.set(ASSESSMENT_DAY)
    evaluation_services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    commit()
    return made


def review_line(cycle: Cycle, text: str) -> str:
    staff = Evaluation.objects.get(campaign=cycle.campaign, person=cycle.people["staff"])
    return text.split(f'data-evidence="{staff.pk}">')[1].split("</div>")[0]


def test_the_review_page_shows_committed_changes(cycle: Cycle, cycle_year: Year) -> None:
    head = cycle.client("faculty_head")
    url = reverse("emulation:unit_review", args=[cycle.campaign.pk, cycle.world.faculty.pk])
    line = review_line(cycle, page(head, url))
    assert "giờ giảng 92,8%" in line and "chỉ tiêu 1/2" in line
    section(cycle_year)
    allocation_raised(cycle_year)
    commit()
    line = review_line(cycle, page(head, url))
    assert "giờ giảng 96,5%" in line and "chỉ tiêu 0/2" in line
    # The same figures, kept: a view reads them from the cache.
    with CaptureQueriesContext(connection) as warm:
        assert review_line(cycle, page(head, url)) == line
    cached_reads = [q for q in warm if CACHE_TABLE in q["sql"]]
    assert cached_reads, "the evidence is read from the cache"


def test_the_review_page_costs_the_same_with_more_people(cycle: Cycle, cycle_year: Year) -> None:
    head = cycle.client("faculty_head")
    url = reverse("emulation:unit_review", args=[cycle.campaign.pk, cycle.world.faculty.pk])
    page(head, url)
    warm = count(head, url)
    more_people(cycle.world, 6, cycle.world.group)
    evaluation_services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    commit()
    page(head, url)
    assert count(head, url) == warm
    assert warm <= 30, warm
