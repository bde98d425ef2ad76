"""Every province page for every role: anonymous → login; the Sở's officer sees and sends; a
plain member of the Sở sees and does not send; a school's leadership and staff, and another
school's leader, get 403 (the pages are the Sở's) or 404 (a directive is the Sở's document).
A Sở officer reads no school's plan, task, staff or draft; no page answers 500 to bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from documents.models import DocumentReceipt
from planning import services as plan_services
from province import services
from province.models import Audience
from province.tests.conftest import ROLES, Province

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# anonymous, officer, sgd_member, leadership, staff, outsider
SGD_PAGE = (LOGIN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)
SGD_SENDS = (LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)

PAGES: list[tuple[str, Callable[[Province], str], tuple[int, ...]]] = [
    ("directives", lambda p: reverse("province:directive_list"), SGD_PAGE),
    ("new directive", lambda p: reverse("province:directive_create"), SGD_SENDS),
    ("schools", lambda p: reverse("province:school_list"), SGD_PAGE),
    (
        "directive",
        lambda p: reverse("province:directive_detail", args=[p.directive.pk]),
        SGD_PAGE,
    ),
]


@pytest.fixture
def sent(province: Province) -> Province:
    """The directive sent to both colleges (not to the outsider's upper secondary school), and a
    task of the world's school built on it."""
    services.send_directive(
        province.directive, Audience.LEVEL, level="college", by=province.users["officer"]
    )
    world = province.world
    plan_services.link_basis(world.task, province.directive, by=world.users["leadership"])
    return province


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "address", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    sent: Province, role: str, name: str, address: Any, expected: tuple[int, ...]
) -> None:
    response = sent.client(role).get(address(sent))
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# The directive in the register, as each role sees it: the Sở's own and the recipient school's
# (read-only), not the outsider's school (not sent there).
REGISTER = (LOGIN, OK, OK, OK, OK, NOT_FOUND)


@pytest.mark.parametrize("role", ROLES)
def test_the_directive_in_the_register_for_role(sent: Province, role: str) -> None:
    url = reverse("documents:document_detail", args=[sent.directive.pk])
    assert sent.client(role).get(url).status_code == REGISTER[ROLES.index(role)]


@pytest.mark.parametrize("role", ["officer", "sgd_member", "leadership", "staff", "outsider"])
def test_only_the_sgds_senders_may_send_more(sent: Province, role: str) -> None:
    response = sent.client(role).post(
        reverse("province:directive_send", args=[sent.directive.pk]),
        {"send-audience": "all"},
    )
    reached = DocumentReceipt.objects.filter(document=sent.directive).count()
    if role == "officer":
        assert response.status_code == 302 and reached == 3
    else:
        assert response.status_code in (FORBIDDEN, NOT_FOUND) and reached == 2


@pytest.mark.parametrize("role", ["leadership", "staff", "outsider", "sgd_member"])
def test_nobody_but_the_sgds_senders_issues(province: Province, role: str) -> None:
    response = province.client(role).post(
        reverse("province:directive_create"),
        {"system": "state", "doc_type": province.directive.doc_type_id, "number": "9",
         "issuer_code": "SGDĐT", "summary": "Thử", "audience": "all"},
    )  # fmt: skip
    assert response.status_code == FORBIDDEN
    assert not DocumentReceipt.objects.exists()


def test_the_officer_issues_to_all_colleges_from_the_form(province: Province) -> None:
    response = province.client("officer").post(
        reverse("province:directive_create"),
        {
            "system": "state",
            "doc_type": province.directive.doc_type_id,
            "number": "2100",
            "issuer_code": "SGDĐT",
            "issued_on": "05/10/2023",
            "summary": "Hướng dẫn tuyển sinh cao đẳng",
            "audience": "level",
            "level": "college",
        },
    )
    assert response.status_code == 302
    receipts = DocumentReceipt.objects.filter(document__number="2100")
    assert {r.school_id for r in receipts} == {province.world.school.pk, province.college.pk}
    assert all(r.document.school_id == province.sgd.pk for r in receipts)


def test_the_form_refuses_a_level_audience_without_a_level(province: Province) -> None:
    response = province.client("officer").post(
        reverse("province:directive_create"),
        {"system": "state", "doc_type": province.directive.doc_type_id, "number": "2100",
         "issuer_code": "SGDĐT", "summary": "Thử", "audience": "level", "level": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert not DocumentReceipt.objects.exists()


def test_a_sgd_officer_sees_no_schools_plan_task_staff_or_draft(sent: Province) -> None:
    world = sent.world
    client = sent.client("officer")
    for url in (
        reverse("planning:plan_detail", args=[world.plan.pk]),  # a draft plan
        reverse("planning:task_detail", args=[world.task.pk]),
        reverse("organisations:person_detail", args=[world.people["staff"].pk]),
        reverse("documents:document_detail", args=[world.document.pk]),
    ):
        assert client.get(url).status_code == NOT_FOUND, url
    # The Sở's own view of its directive in its register lists none of the schools' tasks.
    page = client.get(reverse("documents:document_detail", args=[sent.directive.pk]))
    assert world.task.title not in page.content.decode()


def test_a_school_sees_nothing_of_another_schools_links(sent: Province) -> None:
    """The college that received the directive too sees the directive, not the tasks built on
    it in the world's school."""
    from conftest import make_person
    from organisations.models import Role

    _, user = make_person(
        sent.college, sent.college, "Lê Văn Cao", "college", "Hiệu trưởng", Role.LEADERSHIP
    )
    client = sent.client("anonymous")
    client.force_login(user)
    page = client.get(reverse("documents:document_detail", args=[sent.directive.pk]))
    assert page.status_code == OK
    assert sent.world.task.title not in page.content.decode()
    register = client.get(reverse("documents:document_list")).content.decode()
    assert "1850/HD-SGDĐT" in register and "2457/QĐ-BGDĐT" not in register


@pytest.mark.parametrize(
    "query",
    ["?show=", "?show=nonsense", "?show=acted", "?show=not_acted", "?show[]=1", "?show=%00"],
)
def test_no_500_on_bad_query_strings(sent: Province, query: str) -> None:
    client = sent.client("officer")
    response = client.get(reverse("province:directive_detail", args=[sent.directive.pk]) + query)
    assert response.status_code == OK
    assert client.get(reverse("province:directive_list") + query).status_code == OK


def test_the_acted_filter_lists_the_right_schools(sent: Province) -> None:
    client = sent.client("officer")
    url = reverse("province:directive_detail", args=[sent.directive.pk])

    def table(query: str) -> str:
        html = client.get(url + query).content.decode()
        return html.split('id="uptake"')[1].split("</table>")[0]

    acted, not_acted = table("?show=acted"), table("?show=not_acted")
    assert sent.world.school.name in acted and sent.college.name not in acted
    assert sent.college.name in not_acted and sent.world.school.name not in not_acted


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"send-audience": "bogus"},
        {"send-audience": "level", "send-level": "nonsense"},
        {"send-audience": "list", "send-schools": ["x"]},
        {"send-audience": "list", "send-schools": ["999999"]},
    ],
)
def test_no_500_on_bad_sending_input(sent: Province, data: dict[str, Any]) -> None:
    response = sent.client("officer").post(
        reverse("province:directive_send", args=[sent.directive.pk]), data
    )
    assert response.status_code == 302
    assert DocumentReceipt.objects.filter(document=sent.directive).count() == 2


def test_unknown_directive_is_404(sent: Province) -> None:
    client = sent.client("officer")
    assert client.get(reverse("province:directive_detail", args=[999999])).status_code == 404
    # The world's school's own document is not the Sở's directive.
    url = reverse("province:directive_detail", args=[sent.world.document.pk])
    assert client.get(url).status_code == 404


def test_the_schools_page_gives_each_schools_figures(sent: Province) -> None:
    html = sent.client("officer").get(reverse("province:school_list")).content.decode()
    cells = {}
    for school in (sent.world.school, sent.college, sent.world.other_school):
        row = html.split(f'data-school="{school.pk}"')[1].split("</tr>")[0]
        cells[school.pk] = [cell.split("<")[0] for cell in row.split('class="text-end">')[1:]]
    assert cells == {
        sent.world.school.pk: ["1", "1"],
        sent.college.pk: ["1", "0"],
        sent.world.other_school.pk: ["0", "0"],
    }
    assert sent.world.task.title not in html
    # Each school's name opens its figures on the province dashboard.
    detail = reverse("province:school_detail", args=[sent.college.pk])
    assert f'href="{detail}"' in html.split(f'data-school="{sent.college.pk}"')[1].split("</tr>")[0]
    assert sent.client("officer").get(detail).status_code == 200


@pytest.mark.parametrize("role", ["officer", "sgd_member", "leadership"])
def test_the_navigation_is_the_organisations_own(sent: Province, role: str) -> None:
    """A Sở's member is offered the Sở's pages, not a school's (which would only answer 403 or
    show nothing); a school's member the school's, and no Sở page."""
    page = sent.client(role).get(reverse("home")).content.decode()
    nav = page[page.index('id="nav"') : page.index("</nav>")]
    above = role != "leadership"

    def offers(name: str) -> bool:
        return f'href="{reverse(name)}"' in nav

    assert offers("province:directive_list") is above
    assert offers("province:school_list") is above
    assert offers("workload:home") is not above
    assert offers("planning:plan_list") is not above
    assert offers("documents:document_list")
    assert offers("emulation:home"), "a school's emulation, or the Sở's campaigns and dossiers"


# The "Thêm" menu's school-only items: (URL name, kwargs) → offered to a school's member only.
SCHOOL_ONLY_MORE = [
    ("planning:goal_list", "Chiến lược"),
    ("residence:home", "Nơi ở của người học"),
    ("emulation_evidence:index", "Minh chứng thi đua"),
    ("papers:my_templates", "Mẫu văn bản"),
]


@pytest.mark.parametrize("role", ["officer", "sgd_member", "leadership", "staff"])
def test_the_more_menu_offers_school_pages_only_in_a_school(sent: Province, role: str) -> None:
    """A Sở's member (no school) is not offered a school's strategy, residence, evidence or paper
    templates under "Thêm"; a school's member is (templates: its leadership and clerks)."""
    page = sent.client(role).get(reverse("home")).content.decode()
    nav = page[page.index('id="nav"') : page.index("</nav>")]
    more = nav[nav.index("Thêm") :]
    in_school = role in ("leadership", "staff")
    for name, label in SCHOOL_ONLY_MORE:
        expected = in_school and (name != "papers:my_templates" or role == "leadership")
        assert (f'href="{reverse(name)}"' in more) is expected, f"{label} for {role}"
        assert (label in more) is expected, f"{label} for {role}"
    # What every organisation has stays: its own tree and staff.
    assert f'href="{reverse("organisations:tree")}"' in more
    assert f'href="{reverse("organisations:person_list")}"' in more
    # The Sở's officer (a clerk) keeps the mergers; a school's member never sees them.
    assert (f'href="{reverse("province:merger_list")}"' in more) is (not in_school)
