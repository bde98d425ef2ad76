"""A merger decision the site's administrator recorded is registered in the successor's own
register and handed to the old school: the successor's clerk keeps that entry (edits it in the
register), while what a Sở actually sent down stays protected there (corrected or withdrawn only
on the directive's page). Every role; no 500."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse

from conftest import make_person
from documents.models import Document
from documents.services import is_sent
from organisations.models import Role
from province import mergers, services
from province.models import Audience
from province.tests.conftest import Province
from province.tests.test_mergers import DAY, DECISION

OK, FOUND, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


def test_the_successor_keeps_its_register_entry_for_an_administrators_merger(
    province: Province,
) -> None:
    admin = User.objects.create_superuser("root", "root@example.org", "x")
    _, clerk = make_person(
        province.college, province.college, "Đỗ Thị Văn", "new_clerk", "Văn thư", Role.CLERK
    )
    _, staff = make_person(
        province.college, province.college, "Ngô Văn Ba", "new_staff", "Chuyên viên", Role.MEMBER
    )
    outcome = mergers.merge_school(
        province.world.school, into=province.college, decision=DECISION, effective_on=DAY,
        body=None, by=admin,
    )  # fmt: skip
    decision = Document._base_manager.get(pk=outcome.change.decision_id)
    assert decision.school_id == province.college.pk  # the successor's own register
    assert decision.receipts.filter(school=province.world.school).exists()  # handed to the old
    assert not is_sent(decision)

    edit = reverse("documents:document_edit", args=[decision.pk])
    client = province.client("anonymous")
    client.force_login(clerk)
    assert client.get(edit).status_code == OK
    response = client.post(
        edit,
        {
            "system": decision.system,
            "doc_type": decision.doc_type_id,
            "number": decision.number,
            "issuer_code": decision.issuer_code,
            "issued_on": decision.issued_on.strftime("%d/%m/%Y"),
            "issuer_name": decision.issuer_name,
            "summary": "Về việc sáp nhập (bổ sung trích yếu)",
            "version": decision.version,
        },
    )
    assert response.status_code == FOUND, response.content.decode()[:2000]
    assert Document._base_manager.get(pk=decision.pk).summary.endswith("(bổ sung trích yếu)")
    # A plain member of the successor, the old school's people, the Sở: no edit.
    client.force_login(staff)
    assert client.get(edit).status_code == FORBIDDEN
    assert province.client("outsider").get(edit).status_code == NOT_FOUND


def test_a_directive_the_sở_sent_down_stays_protected(province: Province) -> None:
    services.send_directive(
        province.directive, Audience.LEVEL, level="college", by=province.users["officer"]
    )
    assert is_sent(province.directive)
    edit = reverse("documents:document_edit", args=[province.directive.pk])
    response = province.client("officer").get(edit)
    assert response.status_code == FOUND  # sent back to the page, with the message
    assert province.client("leadership").get(edit).status_code in (FORBIDDEN, NOT_FOUND)
