"""“Nhập từ văn bản”: paste or upload → preview → confirm → registered and linked."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import World
from documents.models import Document
from planning import services

ARTICLE = (
    "Căn cứ Quyết định số 2457/QĐ-BGDĐT, ngày 23/8/2023 của Bộ trưởng Bộ Giáo dục và Đào tạo về việc ban hành "
    "Kế hoạch nhiệm vụ, giải pháp trọng tâm năm học 2023-2024 của ngành giáo dục; Công văn số 5155/BGDĐT-GDĐH, "
    "ngày 22/9/2023 của Bộ Giáo dục và Đào tạo về việc hướng dẫn thực hiện nhiệm vụ năm học 2023-2024 đối với "
    "giáo dục đại học, cao đẳng sư phạm; Chỉ thị số 06/CT-UBND, ngày 05/9/2023 của Chủ tịch UBND tỉnh Lạng Sơn "
    "về thực hiện nhiệm vụ trọng tâm năm học 2023-2024; căn cứ các văn bản hướng dẫn của Uỷ ban nhân dân tỉnh."
)
URL = reverse("documents:document_import")


def preview(world: World, role: str = "clerk", url: str = URL, **data: Any) -> Any:
    return world.client(role).post(url, {"step": "preview", **data})


def plan_url(world: World) -> str:
    """The plan's bases, read from a text (planning links what the register's page registers)."""
    return reverse("planning:plan_bases_import", args=[world.plan.pk])


def task_url(world: World) -> str:
    return reverse("planning:task_bases_import", args=[world.task.pk])


class FormFields(HTMLParser):
    """The values a browser would submit from the confirm form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self.in_form = False
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method") == "post":
            self.in_form = True
        if not self.in_form or "name" not in a:
            if tag == "option" and self.select and "selected" in a:
                self.data[self.select] = a.get("value", "")
            return
        if tag == "input" and (a.get("type") != "checkbox" or "checked" in a):
            self.data[a["name"]] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.data[self.textarea] = ""
        elif tag == "select":
            self.select = a["name"]
            self.data.setdefault(self.select, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        self.textarea = None if tag == "textarea" else self.textarea
        self.select = None if tag == "select" else self.select

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea] += data


def confirm_data(response: Any, **overrides: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(response.content.decode())
    data = {**parser.data, **overrides}
    data.pop("csrfmiddlewaretoken", None)
    data["text"] = data.get("text", "").removeprefix("\n")
    return data


def test_preview_finds_every_reference_and_knows_the_registered_one(world: World) -> None:
    response = preview(world, text=ARTICLE)
    assert response.status_code == 200
    body = response.content.decode()
    for symbol in ["2457/QĐ-BGDĐT", "5155/BGDĐT-GDĐH", "06/CT-UBND"]:
        assert f'data-ref="{symbol}"' in body
    assert body.count("Đã có trong sổ") == 1  # 2457 is already registered
    assert "<mark" in body
    assert Document.objects.count() == 1  # a preview writes nothing


def test_confirm_registers_new_documents_once(world: World) -> None:
    response = preview(world, text=ARTICLE)
    result = world.client("clerk").post(URL, confirm_data(response))
    assert result.status_code == 302, result.content.decode()[:3000]
    assert set(Document.objects.values_list("symbol", flat=True)) == {
        "2457/QĐ-BGDĐT",
        "5155/BGDĐT-GDĐH",
        "06/CT-UBND",
    }
    cv = Document.objects.get(symbol="5155/BGDĐT-GDĐH")
    assert cv.doc_type.name == "Công văn"
    assert str(cv.issued_on) == "2023-09-22"
    assert cv.issuer_name.startswith("Bộ Giáo dục và Đào tạo")
    assert cv.summary.startswith("Hướng dẫn thực hiện nhiệm vụ năm học 2023-2024")
    ct = Document.objects.get(symbol="06/CT-UBND")
    assert ct.doc_type.name == "Chỉ thị" and str(ct.issued_on) == "2023-09-05"
    # Again: everything is recognised, nothing is duplicated.
    again = preview(world, text=ARTICLE)
    assert again.content.decode().count("Đã có trong sổ") == 3
    world.client("clerk").post(URL, confirm_data(again))
    assert Document.objects.count() == 3


def test_edited_cells_are_what_gets_registered(world: World) -> None:
    response = preview(
        world, text="Căn cứ Chỉ thị số 06/CT-UBND ngày 05/9/2023 của Chủ tịch UBND tỉnh."
    )
    data = confirm_data(
        response,
        **{
            "row-0-summary": "Thực hiện nhiệm vụ trọng tâm năm học 2023-2024",
            "row-0-issued_on": "06/09/2023",
        },
    )
    world.client("clerk").post(URL, data)
    document = Document.objects.get(symbol="06/CT-UBND")
    assert document.summary == "Thực hiện nhiệm vụ trọng tâm năm học 2023-2024"
    assert str(document.issued_on) == "2023-09-06"


def test_row_errors_are_shown_and_nothing_is_written(world: World) -> None:
    response = preview(world, text=ARTICLE)
    data = confirm_data(response, **{"row-1-number": "", "row-1-summary": ""})
    result = world.client("clerk").post(URL, data)
    assert result.status_code == 400
    assert "Nhập số văn bản." in result.content.decode()
    assert Document.objects.count() == 1


def test_import_into_a_plan_links_its_bases(world: World) -> None:
    response = preview(world, "leadership", plan_url(world), text=ARTICLE)
    world.client("leadership").post(plan_url(world), confirm_data(response))
    symbols = [link.document.symbol for link in world.plan.basis_links.select_related("document")]
    assert symbols == ["2457/QĐ-BGDĐT", "5155/BGDĐT-GDĐH", "06/CT-UBND"]


def test_import_into_an_issued_plan_needs_an_amendment(world: World) -> None:
    services.issue_plan(world.plan, by=world.users["leadership"])
    response = preview(world, "leadership", plan_url(world), text=ARTICLE)
    result = world.client("leadership").post(plan_url(world), confirm_data(response))
    assert "Kế hoạch đã ban hành" in result.content.decode()
    assert Document.objects.count() == 1  # all or nothing


def test_import_into_a_task(world: World) -> None:
    response = preview(world, "leadership", task_url(world), text=ARTICLE)
    world.client("leadership").post(task_url(world), confirm_data(response))
    assert set(world.task.bases.values_list("symbol", flat=True)) == {
        "2457/QĐ-BGDĐT",
        "5155/BGDĐT-GDĐH",
        "06/CT-UBND",
    }


def test_upload_a_word_file(world: World) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph(
        "Căn cứ Nghị quyết số 63-NQ/TU, ngày 29/12/2021 của Ban Thường vụ Tỉnh ủy về tiếp tục đổi mới;"
    )
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("ke-hoach.docx", buffer.getvalue())
    response = world.client("clerk").post(URL, {"step": "preview", "upload": upload})
    assert 'data-ref="63-NQ/TU"' in response.content.decode()


def test_a_file_that_is_not_text_is_refused(world: World) -> None:
    upload = SimpleUploadedFile("anh.docx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    response = world.client("clerk").post(URL, {"step": "preview", "upload": upload})
    assert response.status_code == 400
    assert "Không đọc được tệp Word" in response.content.decode()
    empty = world.client("clerk").post(URL, {"step": "preview", "text": "  "})
    assert "Hãy dán nội dung hoặc chọn một tệp." in empty.content.decode()


def test_text_without_references(world: World) -> None:
    response = preview(
        world, text="Điều 5. Khoản 2: 30% sinh viên, điện thoại 0205 3871 234, ngày 26/9/2023."
    )
    assert "Không tìm thấy số, ký hiệu văn bản" in response.content.decode()


def test_script_in_pasted_text_is_shown_as_text(world: World) -> None:
    response = preview(
        world, text="<script>alert(1)</script> Căn cứ Quyết định số 12/QĐ-UBND ngày 01/02/2024"
    )
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_who_may_import(world: World) -> None:
    assert world.client("staff").get(URL).status_code == 403
    assert world.client("anonymous").get(URL).status_code == 302
    assert world.client("clerk").get(URL).status_code == 200
    assert world.client("unit_head").get(plan_url(world)).status_code == 403
    assert world.client("outsider").get(plan_url(world)).status_code == 404
    assert world.client("outsider").get(task_url(world)).status_code == 404
    assert world.client("leadership").get(task_url(world)).status_code == 200
