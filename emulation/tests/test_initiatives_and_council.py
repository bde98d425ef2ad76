"""The initiative register (kept by the clerk or the leadership, read by everyone) and the council
page."""

from __future__ import annotations

from django.urls import reverse

from emulation.models import CouncilMember, Initiative, InitiativeAuthor
from emulation.tests.conftest import Cycle


def test_the_clerk_registers_an_initiative_with_its_authors_and_recognition(cycle: Cycle) -> None:
    client = cycle.client("clerk")
    people = cycle.people
    data = {
        "kind": "initiative",
        "title": "Số hóa hồ sơ tuyển sinh",
        "summary": "Giảm 2 ngày xử lý hồ sơ.",
        "scope": "province",
        "start_year": "2023",
        "recognised_on": "20/05/2024",
        "recognised_by": "",
        "decision": "",
        "authors": [people["colleague"].pk, people["staff"].pk],
    }
    response = client.post(reverse("emulation:initiative_create"), data)
    assert (
        response.status_code == 400
        and "cơ quan, hội đồng đã công nhận" in response.content.decode()
    )
    data["recognised_by"] = "Sở Giáo dục và Đào tạo"
    response = client.post(reverse("emulation:initiative_create"), data)
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.is_recognised and initiative.scope == "province"
    assert set(InitiativeAuthor.objects.values_list("person_id", flat=True)) == {
        people["colleague"].pk, people["staff"].pk
    }  # fmt: skip
    # Everyone reads the register; a filter by scope and year.
    page = cycle.client("staff").get(reverse("emulation:initiatives") + "?scope=province&year=2023")
    text = page.content.decode()
    assert "Số hóa hồ sơ tuyển sinh" in text and "Hoàng Văn An, Lê Thị Bình" in text
    assert "Sửa" not in text  # the staff member does not keep the register
    assert (
        "Số hóa"
        not in cycle.client("staff")
        .get(reverse("emulation:initiatives") + "?scope=national")
        .content.decode()
    )
    # Edited: one author less; archived, not deleted.
    data.update(authors=[people["staff"].pk], version=initiative.version)
    assert (
        client.post(reverse("emulation:initiative_edit", args=[initiative.pk]), data).status_code
        == 302
    )
    assert list(InitiativeAuthor.objects.values_list("person_id", flat=True)) == [
        people["staff"].pk
    ]
    assert (
        client.post(reverse("emulation:initiative_archive", args=[initiative.pk])).status_code
        == 302
    )
    assert Initiative.objects.get().is_archived
    assert (
        "Số hóa" not in cycle.client("staff").get(reverse("emulation:initiatives")).content.decode()
    )
    # The other school's leader sees nothing of it.
    assert (
        "Số hóa"
        not in cycle.client("outsider").get(reverse("emulation:initiatives")).content.decode()
    )


def test_an_author_from_another_school_cannot_be_chosen(cycle: Cycle) -> None:
    data = {
        "kind": "research", "title": "Đề tài", "scope": "school", "start_year": "2023",
        "authors": [cycle.people["outsider"].pk],
    }  # fmt: skip
    response = cycle.client("leadership").post(reverse("emulation:initiative_create"), data)
    assert response.status_code == 400 and not Initiative.objects.exists()


def test_the_council_page_adds_and_removes_members(cycle: Cycle) -> None:
    client = cycle.client("leadership")
    address = reverse("emulation:council", args=[cycle.campaign.pk])
    response = client.post(
        address, {"person": cycle.people["unit_head"].pk, "role": "member", "title": "Trưởng phòng"}
    )
    assert response.status_code == 302
    response = client.post(
        address, {"person": cycle.people["staff"].pk, "role": "chair", "title": ""}
    )
    assert (
        response.status_code == 400
        and "đã có Chủ tịch Hội đồng: Phùng Quý Sơn" in response.content.decode()
    )
    member = CouncilMember.objects.get(person=cycle.people["unit_head"])
    assert client.post(reverse("emulation:council_remove", args=[member.pk])).status_code == 302
    page = (
        cycle.client("staff")
        .get(reverse("emulation:campaign", args=[cycle.campaign.pk]))
        .content.decode()
    )
    assert "Phùng Quý Sơn" in page and "Chủ tịch Hội đồng" in page
    assert "Nguyễn Thị Phương Loan, Trưởng phòng" not in page
