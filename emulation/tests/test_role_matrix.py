"""Every emulation page for every role: anonymous → login, another school's leader and the Sở's
officer → 404 for this school's things, members by their rights. A staff member sees their own
evaluation, not a colleague's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from conftest import close_response
from emulation.models import Evaluation, Initiative, Registration, TitleHistory
from emulation.services import evaluations as evaluation_services
from emulation.services import registrations as registration_services
from emulation.tests.conftest import ASSESSMENT_DAY, Cycle

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
ROLES = ["anonymous", "outsider", "officer", "staff", "clerk", "unit_head", "leadership"]


@pytest.fixture
def matrix(cycle: Cycle) -> Cycle:
    registration_services.register(
        cycle.campaign, titles=["LĐTT"], commitments="Đúng hạn", by=cycle.users["staff"]
    )
    evaluation_services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    Initiative.objects.create(school=cycle.world.school, title="Sổ tay số", start_year=2023)
    TitleHistory.objects.create(
        school=cycle.world.school, person=cycle.people["staff"], start_year=2022, titles=["LĐTT"]
    )
    return cycle


def evaluation(c: Cycle, role: str) -> int:
    return Evaluation.objects.get(person=c.people[role]).pk


def url(name: str, *args: Any) -> str:
    return reverse(f"emulation:{name}", args=args)


# anonymous, outsider, officer, staff, clerk, unit head, leadership
ALL = (LOGIN, OK, OK, OK, OK, OK, OK)
SCHOOL = (LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK)
LEADERS = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
LEADERS_CLERK = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, FORBIDDEN, OK)
OFFICE = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK, OK)  # the office's head, its clerk
OFFICE_HEAD = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK, OK)
# A page for a school the user works in (their own, whichever it is): leaders and clerks keep it.
MY_SCHOOL_KEEPERS = (LOGIN, OK, OK, FORBIDDEN, OK, FORBIDDEN, OK)
MY_SCHOOL_LEADERS = (LOGIN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)

PAGES: list[tuple[str, Callable[[Cycle], str], tuple[int, ...]]] = [
    # The Sở's officer is taken to the Sở's campaigns (its emulation: campaigns down, dossiers up).
    ("home", lambda c: url("home"), (LOGIN, OK, LOGIN, OK, OK, OK, OK)),
    ("campaign create", lambda c: url("campaign_create"), MY_SCHOOL_LEADERS),
    ("campaign", lambda c: url("campaign", c.campaign.pk), SCHOOL),
    ("campaign edit", lambda c: url("campaign_edit", c.campaign.pk), LEADERS),
    ("council", lambda c: url("council", c.campaign.pk), LEADERS),
    ("register", lambda c: url("register", c.campaign.pk), SCHOOL),
    ("office registrations", lambda c: url("unit_registrations", c.campaign.pk, c.world.office.pk), OFFICE),
    ("faculty registrations", lambda c: url("unit_registrations", c.campaign.pk, c.world.faculty.pk), LEADERS_CLERK),
    ("office registrations xlsx", lambda c: url("unit_registrations_xlsx", c.campaign.pk, c.world.office.pk), OFFICE),
    ("office collective registration", lambda c: url("unit_register", c.campaign.pk, c.world.office.pk), OFFICE_HEAD),
    ("all registrations xlsx", lambda c: url("registrations_xlsx", c.campaign.pk), LEADERS_CLERK),
    ("return a faculty registration", lambda c: url("registration_return", Registration.objects.get().pk), LEADERS),
    ("office list reopen", lambda c: url("unit_reopen", c.campaign.pk, c.world.office.pk), OFFICE_HEAD),
    ("registration paper", lambda c: reverse("papers:download", args=["emulation_registrations", c.campaign.pk, "docx"]), LEADERS_CLERK),
    ("my evaluation", lambda c: url("my_evaluation", c.campaign.pk), SCHOOL),
    ("staff's evaluation", lambda c: url("evaluation", evaluation(c, "staff")),
     (LOGIN, NOT_FOUND, NOT_FOUND, OK, FORBIDDEN, FORBIDDEN, OK)),
    ("clerk's evaluation", lambda c: url("evaluation", evaluation(c, "clerk")),
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, OK, OK)),
    ("colleague's evaluation", lambda c: url("evaluation", evaluation(c, "colleague")),
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    ("staff's facts", lambda c: url("evaluation_facts", evaluation(c, "staff")), LEADERS_CLERK),
    ("facts", lambda c: url("facts", c.campaign.pk), LEADERS_CLERK),
    ("office review", lambda c: url("unit_review", c.campaign.pk, c.world.office.pk), OFFICE_HEAD),
    ("faculty review", lambda c: url("unit_review", c.campaign.pk, c.world.faculty.pk), LEADERS),
    ("classification", lambda c: url("classification", c.campaign.pk), LEADERS),
    ("initiatives", lambda c: url("initiatives"), ALL),
    ("initiative create", lambda c: url("initiative_create"), MY_SCHOOL_KEEPERS),
    ("initiative edit", lambda c: url("initiative_edit", Initiative.objects.get().pk), LEADERS_CLERK),
    ("titles", lambda c: url("titles"), ALL),
    ("title create", lambda c: url("title_create"), MY_SCHOOL_KEEPERS),
    ("title edit", lambda c: url("title_edit", TitleHistory.objects.get().pk), LEADERS_CLERK),
    ("title withdraw", lambda c: url("title_withdraw", TitleHistory.objects.get().pk), LEADERS_CLERK),
    ("titles import", lambda c: url("titles_import"), MY_SCHOOL_KEEPERS),
    ("titles sheet", lambda c: url("titles_sheet"), MY_SCHOOL_KEEPERS),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "address", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    matrix: Cycle, role: str, name: str, address: Any, expected: tuple[int, ...]
) -> None:
    response = matrix.client(role).get(address(matrix))
    close_response(response)
    status = expected[ROLES.index(role)]
    assert response.status_code == status, f"{name} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# POSTs that change state: (name, url, data, expected per role); each from a fresh world.
ACTIONS: list[tuple[str, Callable[[Cycle], str], dict[str, str], tuple[int, ...]]] = [
    ("launch", lambda c: url("campaign_launch", c.campaign.pk), {}, (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN)),
    ("prepare", lambda c: url("prepare", c.campaign.pk), {}, (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN)),
    ("office submit", lambda c: url("unit_submit", c.campaign.pk, c.world.office.pk), {}, (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, LOGIN, LOGIN)),
    ("unit review of the clerk", lambda c: url("evaluation_review", evaluation(c, "clerk"), "unit"),
     {"unit-level": "HTT", "unit-comment": "Tốt"}, (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, LOGIN, LOGIN)),
    ("leadership review of the office head", lambda c: url("evaluation_review", evaluation(c, "unit_head"), "leadership"),
     {"leadership-level": "HTT", "leadership-comment": "Tốt"}, (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN)),
    ("title withdraw", lambda c: url("title_withdraw", TitleHistory.objects.get().pk),
     {"reason": "Nhập nhầm", "version": "1"}, (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, LOGIN, FORBIDDEN, LOGIN)),
    ("title correct", lambda c: url("title_edit", TitleHistory.objects.get().pk),
     {"start_year": "2022", "titles": ["LĐTT", "CSTĐCS"], "reason": "Bổ sung", "version": "1"},
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, LOGIN, FORBIDDEN, LOGIN)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "address", "data", "expected"), ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_action_for_role(
    matrix: Cycle,
    role: str,
    name: str,
    address: Any,
    data: dict[str, str],
    expected: tuple[int, ...],
) -> None:
    response = matrix.client(role).post(address(matrix), data)
    # LOGIN here: a redirect, to the login page for anonymous, back to the page for the others.
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"


def test_a_staff_member_never_sees_a_colleagues_draft(matrix: Cycle) -> None:
    colleague = Evaluation.objects.get(person=matrix.people["colleague"])
    matrix.clock.set(ASSESSMENT_DAY)
    evaluation_services.self_assess(
        colleague, level="HTXS", comment="Bí mật nháp của đồng nghiệp", by=matrix.users["colleague"]
    )
    client = matrix.client("staff")
    for address in (
        url("campaign", matrix.campaign.pk),
        url("my_evaluation", matrix.campaign.pk),
        url("unit_review", matrix.campaign.pk, matrix.world.faculty.pk),
        url("classification", matrix.campaign.pk),
        url("evaluation", colleague.pk),
        reverse("home"),
    ):
        response = client.get(address)
        assert "Bí mật nháp" not in response.content.decode(), address
    assert (
        "Bí mật nháp"
        in matrix.client("group_head").get(url("evaluation", colleague.pk)).content.decode()
    )


def test_each_step_belongs_to_its_reviewer(matrix: Cycle) -> None:
    """The subject group's head at the group's step, the faculty's head at the unit's, the
    leadership for managers; nobody on their own evaluation."""
    users = matrix.users
    staff = Evaluation.objects.select_related("campaign").get(person=matrix.people["staff"])
    group_head = Evaluation.objects.select_related("campaign").get(
        person=matrix.people["group_head"]
    )
    expected = {
        ("group_head", "emulation.review_group"): True,
        ("group_head", "emulation.review_unit"): False,
        ("faculty_head", "emulation.review_group"): False,
        ("faculty_head", "emulation.review_unit"): True,
        ("leadership", "emulation.review_group"): False,
        ("leadership", "emulation.review_leadership"): True,
        ("colleague", "emulation.review_group"): False,
        ("unit_head", "emulation.review_unit"): False,
        ("staff", "emulation.self_assess"): True,
        ("colleague", "emulation.self_assess"): False,
    }
    for (role, perm), allowed in expected.items():
        assert users[role].has_perm(perm, staff) is allowed, (role, perm)
    assert not users["group_head"].has_perm("emulation.review_group", group_head)
    assert users["faculty_head"].has_perm("emulation.review_unit", group_head)
