"""A directive sent down: to all the Sở's schools, to one level, to a list; each recipient finds it
in its own register, read-only; its tasks link to it; the Sở sees which schools built tasks on it
and how many, nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scope

from conftest import commit
from documents.models import Document, DocumentReceipt
from documents.services import register_list
from notifications.models import Notification, NotificationKind
from planning import services as plan_services
from planning.models import Task
from province import services
from province.models import Audience, SchoolLevel
from province.services import ProvinceError
from province.tests.conftest import Province


def _recipients(province: Province) -> set[int]:
    return set(
        DocumentReceipt.objects.filter(document=province.directive).values_list(
            "school_id", flat=True
        )
    )


def test_sent_to_all_reaches_every_school_the_sgd_directs(province: Province) -> None:
    world = province.world
    dispatch = services.send_directive(
        province.directive, Audience.ALL, by=province.users["officer"]
    )
    assert _recipients(province) == {world.school.pk, province.college.pk, world.other_school.pk}
    assert dispatch.recipient_count == 3
    receipt = DocumentReceipt.objects.get(document=province.directive, school=world.school)
    assert receipt.sent_by == province.users["officer"] and receipt.sent_at is not None


def test_sent_to_a_level_reaches_only_the_schools_of_that_level(province: Province) -> None:
    services.send_directive(
        province.directive,
        Audience.LEVEL,
        level=SchoolLevel.COLLEGE,
        by=province.users["officer"],
    )
    assert _recipients(province) == {province.world.school.pk, province.college.pk}


def test_sent_to_a_list_reaches_the_chosen_schools(province: Province) -> None:
    services.send_directive(
        province.directive,
        Audience.LIST,
        schools=[province.college],
        by=province.users["officer"],
    )
    assert _recipients(province) == {province.college.pk}


def test_a_list_with_a_school_the_sgd_does_not_direct_is_refused(province: Province) -> None:
    stranger = type(province.college).objects.create(name="Trường Tỉnh Khác", kind="school")
    with pytest.raises(ProvinceError):
        services.send_directive(
            province.directive,
            Audience.LIST,
            schools=[province.college, stranger],
            by=province.users["officer"],
        )
    assert _recipients(province) == set()


def test_an_empty_level_or_list_is_refused(province: Province) -> None:
    officer = province.users["officer"]
    with pytest.raises(ProvinceError):
        services.send_directive(province.directive, Audience.LEVEL, level="", by=officer)
    with pytest.raises(ProvinceError):
        services.send_directive(
            province.directive, Audience.LEVEL, level=SchoolLevel.PRIMARY, by=officer
        )
    with pytest.raises(ProvinceError):
        services.send_directive(province.directive, Audience.LIST, schools=[], by=officer)


def test_sending_again_reaches_only_the_new_schools(province: Province) -> None:
    officer = province.users["officer"]
    services.send_directive(province.directive, Audience.LEVEL, level="college", by=officer)
    again = services.send_directive(province.directive, Audience.ALL, by=officer)
    assert again.recipient_count == 1
    assert DocumentReceipt.objects.filter(document=province.directive).count() == 3


def test_a_school_cannot_send_down(province: Province) -> None:
    world = province.world
    with pytest.raises(ProvinceError):
        services.send_directive(world.document, Audience.ALL, by=world.users["leadership"])


def test_each_recipient_schools_leadership_is_told(province: Province) -> None:
    services.send_directive(
        province.directive, Audience.LEVEL, level="college", by=province.users["officer"]
    )
    commit()
    told = Notification.objects.filter(kind=NotificationKind.DIRECTIVE_RECEIVED)
    assert {n.user for n in told} == {province.world.users["leadership"]}
    notice = told.get()
    assert "1850/HD-SGDĐT" in notice.title
    assert notice.url == reverse("documents:document_detail", args=[province.directive.pk])


def test_issuing_registers_in_the_sgds_register_and_sends(province: Province) -> None:
    document = Document(
        school=province.sgd,
        doc_type=province.directive.doc_type,
        number="2001",
        issuer_code="SGDĐT",
        summary="V/v tổng kết năm học",
    )
    dispatch = services.issue_directive(document, Audience.ALL, by=province.users["officer"])
    document.refresh_from_db()
    assert document.school == province.sgd and document.symbol == "2001/HD-SGDĐT"
    assert document.summary == "Tổng kết năm học"
    assert dispatch.document == document and dispatch.recipient_count == 3


def test_the_schools_register_shows_it_without_typing(province: Province) -> None:
    world = province.world
    services.send_directive(
        province.directive, Audience.LEVEL, level="college", by=province.users["officer"]
    )
    with scope(school=world.school.pk):
        listed = {d.symbol: d.received for d in register_list(world.school.pk, {})}
    assert listed == {"2457/QĐ-BGDĐT": False, "1850/HD-SGDĐT": True}
    # Not sent to the upper secondary school: not in its register.
    with scope(school=world.other_school.pk):
        assert not register_list(world.other_school.pk, {}).filter(number="1850").exists()
        assert not Document.objects.filter(pk=province.directive.pk).exists()
    page = province.client("staff").get(reverse("documents:document_list"))
    assert "1850/HD-SGDĐT" in page.content.decode()


def test_the_received_directive_is_read_only_in_the_school(province: Province) -> None:
    services.send_directive(province.directive, Audience.ALL, by=province.users["officer"])
    leadership = province.client("leadership")
    url = reverse("documents:document_detail", args=[province.directive.pk])
    page = leadership.get(url)
    assert page.status_code == 200
    assert 'id="received-from"' in page.content.decode()
    assert (
        leadership.get(reverse("documents:document_edit", args=[province.directive.pk])).status_code
        == 403
    )
    archive = reverse("documents:document_archive", args=[province.directive.pk])
    assert leadership.post(archive).status_code == 403
    province.directive.refresh_from_db()
    assert not province.directive.is_archived


def test_typing_the_received_directive_again_is_refused(province: Province) -> None:
    services.send_directive(province.directive, Audience.ALL, by=province.users["officer"])
    client = province.client("leadership")
    response = client.post(
        reverse("documents:document_create"),
        {
            "system": "state",
            "doc_type": province.directive.doc_type_id,
            "number": "1850",
            "issuer_code": "SGDĐT",
            "issued_on": "12/09/2023",
            "summary": "Hướng dẫn",
        },
    )
    assert response.status_code == 400
    assert "đã có trong sổ văn bản" in response.content.decode()
    assert not Document.objects.filter(school=province.world.school, number="1850").exists()


def _link(province: Province, task: Task | None = None) -> None:
    world = province.world
    plan_services.link_basis(
        task or world.task, province.directive, clause="Mục I.2", by=world.users["leadership"]
    )


def test_a_school_links_its_task_to_the_directive(province: Province) -> None:
    services.send_directive(province.directive, Audience.ALL, by=province.users["officer"])
    world = province.world
    response = province.client("leadership").post(
        reverse("planning:basis_add", args=[world.task.pk]),
        {"document": province.directive.pk, "clause": "Mục I.2"},
    )
    assert response.status_code == 302
    assert world.task.basis_links.active().filter(document=province.directive).exists()


def test_a_task_cannot_link_a_directive_not_sent_to_its_school(province: Province) -> None:
    services.send_directive(
        province.directive, Audience.LIST, schools=[province.college], by=province.users["officer"]
    )
    with pytest.raises(Exception, match="không thuộc sổ văn bản"):
        _link(province)


def test_the_sgd_sees_who_acted_on_it_by_counts(province: Province) -> None:
    services.send_directive(province.directive, Audience.ALL, by=province.users["officer"])
    world = province.world
    _link(province)
    _link(province, world.subtask)
    rows = {row.school.pk: row.task_count for row in services.uptake(province.directive)}
    assert rows == {world.school.pk: 2, province.college.pk: 0, world.other_school.pk: 0}
    assert services.acted_on_counts([province.directive]) == {province.directive.pk: 1}


def test_an_archived_link_or_task_is_not_counted(province: Province) -> None:
    services.send_directive(province.directive, Audience.ALL, by=province.users["officer"])
    world = province.world
    _link(province)
    link = world.task.basis_links.get(document=province.directive)
    plan_services.unlink_basis(link, by=world.users["leadership"])
    assert all(row.task_count == 0 for row in services.uptake(province.directive))


def test_the_acted_on_column_names_no_task(province: Province) -> None:
    services.send_directive(province.directive, Audience.ALL, by=province.users["officer"])
    _link(province)
    page = province.client("officer").get(
        reverse("province:directive_detail", args=[province.directive.pk])
    )
    html = page.content.decode()
    row = html.split(f'data-school="{province.world.school.pk}"')[1].split("</tr>")[0]
    assert "1 nhiệm vụ" in row
    assert province.world.task.title not in html
    assert province.world.plan.title not in html
    assert "Phùng Quý Sơn" not in html


def _share_url(province: Province) -> str:
    return reverse("documents:document_share", args=[province.directive.pk])


def test_a_school_that_shares_shows_the_sgd_its_task_titles(province: Province) -> None:
    services.send_directive(province.directive, Audience.ALL, by=province.users["officer"])
    _link(province)
    detail = reverse("province:directive_detail", args=[province.directive.pk])
    officer = province.client("officer")
    assert province.world.task.title not in officer.get(detail).content.decode()
    response = province.client("leadership").post(_share_url(province), {"shares": "1"})
    assert response.status_code == 302
    receipt = DocumentReceipt.objects.get(document=province.directive, school=province.world.school)
    assert receipt.shares_tasks
    assert province.world.task.title in officer.get(detail).content.decode()
    province.client("leadership").post(_share_url(province), {"shares": "0"})
    assert province.world.task.title not in officer.get(detail).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 403), ("outsider", 404), ("officer", 404), ("anonymous", 302)],
)
def test_only_the_recipient_schools_leadership_shares(
    province: Province, role: str, status: int
) -> None:
    services.send_directive(
        province.directive, Audience.LEVEL, level="college", by=province.users["officer"]
    )
    response = province.client(role).post(_share_url(province), {"shares": "1"})
    assert response.status_code == status
    assert not DocumentReceipt.objects.filter(shares_tasks=True).exists()
