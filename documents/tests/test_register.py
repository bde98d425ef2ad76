from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import World, close_response
from documents.models import Document, DocumentType, compose_symbol


@pytest.mark.parametrize(
    ("system", "number", "year", "type_code", "issuer", "expected"),
    [
        ("state", "2457", None, "QĐ", "BGDĐT", "2457/QĐ-BGDĐT"),
        ("state", "01", 2024, "TT", "BGDĐT", "01/2024/TT-BGDĐT"),
        ("state", "5155", None, None, "BGDĐT-GDĐH", "5155/BGDĐT-GDĐH"),
        ("state", "06", 2022, None, "QH15", "06/2022/QH15"),
        ("state", "07", 2015, "TTLT", "BGDĐT-BNV", "07/2015/TTLT-BGDĐT-BNV"),
        ("party", "63", None, "NQ", "TU", "63-NQ/TU"),
        ("party", " 36 ", None, "HD", "VPTW", "36-HD/VPTW"),
    ],
)
def test_symbols_follow_the_official_formats(
    system: str, number: str, year: int | None, type_code: str | None, issuer: str, expected: str
) -> None:
    assert (
        compose_symbol(
            system=system, number=number, year=year, type_code=type_code, issuer_code=issuer
        )
        == expected
    )


def test_document_types_are_data_with_their_source(db: None) -> None:
    qd = DocumentType.objects.get(code="QĐ")
    assert qd.name == "Quyết định"
    assert "30/2020/NĐ-CP" in qd.source
    assert DocumentType.objects.get(code="TT").is_regulatory
    assert not DocumentType.objects.get(code="CV").in_symbol


def post_document(world: World, role: str = "clerk", **fields: str) -> object:
    data = {
        "system": "state", "doc_type": DocumentType.objects.get(code="CV").pk, "number": "5155",
        "issuer_code": "BGDĐT-GDĐH", "issued_on": "2023-09-22", "issuer_name": "Bộ Giáo dục và Đào tạo",
        "summary": "Hướng dẫn thực hiện nhiệm vụ năm học 2023-2024 đối với giáo dục đại học, cao đẳng sư phạm",
    }  # fmt: skip
    data.update(fields)
    return world.client(role).post(reverse("documents:document_create"), data)


def test_clerk_registers_a_cong_van(world: World) -> None:
    response = post_document(world)
    document = Document.objects.get(symbol="5155/BGDĐT-GDĐH")
    assert response["Location"] == reverse("documents:document_detail", args=[document.pk])
    assert document.issued_on == dt.date(2023, 9, 22)
    assert document.history.first().history_user == world.users["clerk"]


def test_the_required_document_kind_asks_for_a_choice(world: World) -> None:
    html = world.client("clerk").get(reverse("documents:document_create")).content.decode()
    select = html[html.index('name="doc_type"') :]
    select = select[: select.index("</select>")]
    assert "— Chọn loại văn bản —" in select
    assert "Không chọn" not in select


def test_same_document_is_not_registered_twice(world: World) -> None:
    post_document(world)
    response = post_document(world)
    assert response.status_code == 400
    assert "đã có trong sổ văn bản" in response.content.decode()
    assert Document.objects.filter(symbol="5155/BGDĐT-GDĐH").count() == 1


def test_same_number_in_another_year_is_another_document(world: World) -> None:
    post_document(world)
    post_document(world, issued_on="2024-09-20")
    assert Document.objects.filter(symbol="5155/BGDĐT-GDĐH").count() == 2


def test_regulatory_documents_need_their_year_and_party_documents_have_none(world: World) -> None:
    tt = DocumentType.objects.get(code="TT").pk
    response = post_document(world, doc_type=str(tt), number="01", issuer_code="BGDĐT")
    assert "ghi năm trong ký hiệu" in response.content.decode()
    nq = DocumentType.objects.get(code="NQ").pk
    response = post_document(
        world, system="party", doc_type=str(nq), number="63", issuer_code="TU", year="2021"
    )
    assert "không ghi năm" in response.content.decode()
    response = post_document(
        world, system="party", doc_type=str(nq), number="63", issuer_code="TU", year=""
    )
    assert response.status_code == 302
    assert Document.objects.filter(symbol="63-NQ/TU").exists()


def test_bad_input_is_refused_in_vietnamese(world: World) -> None:
    response = post_document(world, number="abc", issuer_code="BGD<script>", issued_on="32/13/2023")
    body = response.content.decode()
    assert response.status_code == 400
    assert "phải bắt đầu bằng chữ số" in body
    assert "Nhập một ngày hợp lệ." in body
    assert "<script>" not in body.split("</form>")[0].split("<form")[-1].replace(
        "&lt;script&gt;", ""
    )
    assert not Document.objects.filter(number="abc").exists()


def test_attachment_is_checked_and_served_only_to_the_school(world: World) -> None:
    bad = SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream")
    response = world.client("clerk").post(
        reverse("documents:document_create"),
        {
            "system": "state",
            "doc_type": DocumentType.objects.get(code="KH").pk,
            "number": "12",
            "issuer_code": "CĐSP",
            "summary": "Kế hoạch",
            "file": bad,
        },
    )
    assert response.status_code == 400
    good = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    world.client("clerk").post(
        reverse("documents:document_create"),
        {
            "system": "state",
            "doc_type": DocumentType.objects.get(code="KH").pk,
            "number": "12",
            "issuer_code": "CĐSP",
            "summary": "Kế hoạch",
            "file": good,
        },
    )
    document = Document.objects.get(symbol="12/KH-CĐSP")
    url = reverse("documents:document_file", args=[document.pk])
    response = world.client("staff").get(url)
    assert response.status_code == 200
    close_response(response)  # the served file stays open until its response is closed
    assert world.client("outsider").get(url).status_code == 404
    assert world.client("anonymous").get(url).status_code == 302


def test_document_page_lists_every_task_implementing_it(world: World) -> None:
    page = (
        world.client("staff")
        .get(reverse("documents:document_detail", args=[world.document.pk]))
        .content.decode()
    )
    assert "Tuyển sinh và duy trì sĩ số" in page
    assert "Mục II.5" in page
    assert "ngày 23 tháng 8 năm 2023" in page


def test_document_list_searches_without_diacritics(world: World) -> None:
    page = (
        world.client("staff")
        .get(reverse("documents:document_list"), {"q": "giai phap trong tam"})
        .content.decode()
    )
    assert "2457/QĐ-BGDĐT" in page
    page = (
        world.client("staff")
        .get(reverse("documents:document_list"), {"q": "khong co gi"})
        .content.decode()
    )
    assert "2457/QĐ-BGDĐT" not in page


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("về việc ban hành Kế hoạch", "Ban hành Kế hoạch"),
        ("V/v hướng dẫn thực hiện", "Hướng dẫn thực hiện"),
        ("về tiếp tục đổi mới căn bản", "Tiếp tục đổi mới căn bản"),
        ("  Hướng dẫn  nhiệm vụ ", "Hướng dẫn nhiệm vụ"),
        ("Về công tác tuyển sinh", "Công tác tuyển sinh"),
    ],
)
def test_summary_is_stored_without_its_lead_words(raw: str, clean: str) -> None:
    from documents.services import clean_summary

    assert clean_summary(raw) == clean
