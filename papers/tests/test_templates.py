"""Schools' own Word templates: upload, use, checks that reject bad files, and who may do it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences.models import Conference
from conftest import World
from papers import docx_templates, registry
from papers.docx_templates import check_template, starter_template
from papers.models import PaperTemplate
from papers.tests.helpers import assert_decree_30_page, open_docx, text_of
from planning import services as planning_services


def word_file(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


GOOD = word_file(
    "MẪU RIÊNG CỦA TRƯỜNG: {{ trich_yeu }}",
    "{{ dia_danh_ngay }}",
    "{%p for n in noi_nhan %}",
    "- {{ n }}",
    "{%p endfor %}",
    "{%p for dong in nhiem_vu %}",
    "{{ dong.ma }} {{ dong.ten }} ({{ dong.don_vi_chu_tri }})",
    "{%p endfor %}",
)


@pytest.fixture
def school(world: World) -> Any:
    world.school.abbreviation = "CĐM"
    world.school.place = "Lạng Sơn"
    world.school.save()
    planning_services.issue_plan(world.plan, by=world.users["leadership"], on=dt.date(2023, 9, 5))
    return world.school


def page(world: World) -> str:
    return reverse("papers:templates", args=[world.school.pk])


def upload(
    world: World, kind: str, data: bytes, role: str = "leadership", name: str = "mau.docx"
) -> Any:
    return world.client(role).post(
        page(world), {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


def plan_docx(world: World) -> docx.document.Document:
    response = world.client("staff").get(
        reverse("papers:download", args=["plan", world.plan.pk, "docx"])
    )
    assert response.status_code == 200
    return open_docx(response.content)


@pytest.mark.parametrize(
    "role, status",
    [("anonymous", 302), ("outsider", 404), ("staff", 403), ("unit_head", 403), ("leadership", 200), ("clerk", 200)],
)  # fmt: skip
def test_template_page_roles(world: World, school: Any, role: str, status: int) -> None:
    response = world.client(role).get(page(world))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        for kind in registry.KINDS.values():
            assert kind.label in html
        assert "co_quan_ban_hanh" in html and "nhiem_vu" in html and "bieu_quyet" in html
        assert "Đang dùng mẫu dựng sẵn của hệ thống." in html


@pytest.mark.parametrize(
    "role, status",
    [("anonymous", 302), ("outsider", 404), ("staff", 403), ("unit_head", 403), ("leadership", 200), ("clerk", 200)],
)  # fmt: skip
def test_upload_and_starter_roles(world: World, school: Any, role: str, status: int) -> None:
    starter = reverse("papers:template_starter", args=[world.school.pk, "plan"])
    assert world.client(role).get(starter).status_code == status
    response = upload(world, "plan", GOOD, role=role)
    assert response.status_code == (302 if status == 200 else status)
    assert PaperTemplate.objects.count() == (1 if status == 200 else 0)


def test_my_templates_goes_to_the_school(world: World, school: Any) -> None:
    response = world.client("clerk").get(reverse("papers:my_templates"))
    assert response.status_code == 302 and response["Location"] == page(world)


def test_uploaded_template_is_used_for_the_download(world: World, school: Any) -> None:
    assert upload(world, "plan", GOOD, role="clerk").status_code == 302
    template = PaperTemplate.objects.get()
    assert template.is_active and template.original_name == "mau.docx"
    assert "Lý Thị Hoa" in world.client("clerk").get(page(world)).content.decode()
    assert "mau.docx" not in template.file.name and template.file.name.startswith(
        "paper-templates/"
    )
    assert template.placeholders == ["dia_danh_ngay", "nhiem_vu", "noi_nhan", "trich_yeu"]
    text = text_of(plan_docx(world))
    assert "MẪU RIÊNG CỦA TRƯỜNG: Năm học 2023–2024" in text
    assert "Lạng Sơn, ngày 05 tháng 9 năm 2023" in text
    assert "- Sở GD&ĐT (để báo cáo);" in text  # escaped for Word, readable again
    assert "1 Tuyển sinh và duy trì sĩ số (Khoa Tự nhiên)" in text
    # The plan page's own button goes through the same output.
    legacy = world.client("staff").get(reverse("planning:plan_docx", args=[world.plan.pk]))
    assert "MẪU RIÊNG CỦA TRƯỜNG" in text_of(open_docx(legacy.content))
    # Another school keeps the built-in layout.
    assert template.school_id == world.school.pk


def test_replacing_archives_and_stopping_returns_to_built_in(world: World, school: Any) -> None:
    upload(world, "plan", GOOD)
    upload(world, "plan", word_file("MẪU THỨ HAI {{ trich_yeu }}"))
    first, second = PaperTemplate.objects.order_by("pk")
    assert not first.is_active and first.archived_at is not None and second.is_active
    assert first.file.name and first.history.count() == 2  # created, then archived
    assert "MẪU THỨ HAI Năm học 2023–2024" in text_of(plan_docx(world))
    html = world.client("leadership").get(page(world)).content.decode()
    assert "1 mẫu đã thôi dùng" in html and reverse("papers:template_file", args=[first.pk]) in html
    stop = reverse("papers:template_stop", args=[world.school.pk, "plan"])
    assert world.client("staff").post(stop).status_code == 403
    assert world.client("leadership").post(stop).status_code == 302
    assert PaperTemplate.objects.filter(is_active=True).count() == 0
    assert PaperTemplate.objects.count() == 2  # nothing deleted
    assert "KẾ HOẠCH" in text_of(plan_docx(world))


def test_stored_template_downloads_only_for_keepers(world: World, school: Any) -> None:
    upload(world, "plan", GOOD)
    url = reverse("papers:template_file", args=[PaperTemplate.objects.get().pk])
    assert world.client("clerk").get(url).content == GOOD
    assert world.client("staff").get(url).status_code == 403
    assert world.client("outsider").get(url).status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "không phải văn bản Word .docx"),
        (b"PK\x03\x04 not really a zip", "không phải văn bản Word .docx"),
        (word_file("{{ trich_yeu "), "lỗi cú pháp"),
        (word_file("{%p for n in noi_nhan %}", "{{ n }}"), "lỗi cú pháp"),
        (word_file("{{ ten_truong_sai }} và {{ trich_yeu }}"), "{{ ten_truong_sai }}"),
        (word_file("{%p for n in nhiem_vu %}", "{{ n.khong_co }}", "{%p endfor %}"), "khong_co"),
    ],
    ids=[
        "png",
        "broken-zip",
        "open-placeholder",
        "loop-not-closed",
        "unknown-name",
        "unknown-field",
    ],
)
def test_bad_templates_are_rejected_and_nothing_is_stored(
    world: World, school: Any, data: bytes, message: str
) -> None:
    response = upload(world, "plan", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PaperTemplate.objects.exists()
    assert "KẾ HOẠCH" in text_of(plan_docx(world))


def test_syntax_error_names_the_place(world: World, school: Any) -> None:
    response = upload(world, "plan", word_file("Kính gửi {{ nguoi_ky }", "đoạn sau"))
    html = response.content.decode()
    assert response.status_code == 400 and "lỗi cú pháp" in html and "Kính gửi" in html


def test_size_cap(world: World, school: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_templates, "MAX_TEMPLATE_BYTES", 1000)
    monkeypatch.setattr("papers.views.MAX_TEMPLATE_BYTES", 1000)
    response = upload(world, "plan", GOOD)
    assert response.status_code == 400 and "lớn hơn" in response.content.decode()
    assert not PaperTemplate.objects.exists()


def test_macro_files_are_refused(world: World, school: Any) -> None:
    buffer = io.BytesIO(GOOD)
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/vbaProject.bin", b"macro")
    response = upload(world, "plan", out.getvalue())
    assert response.status_code == 400 and "macro" in response.content.decode()


def test_every_kind_has_a_starter_that_passes_its_own_check(
    world: World, school: Any, conference: Conference
) -> None:
    for code, kind in registry.KINDS.items():
        sample = kind.latest(world.school) if kind.latest else None
        data = starter_template(kind, sample)
        assert_decree_30_page(open_docx(data))
        used = set(check_template(data, kind, sample))
        assert {"trich_yeu", "noi_nhan", "noi_dung", "co_quan_ban_hanh"} <= used, code
        assert set(kind.placeholders) <= used, code


def test_conference_starter_filled_with_the_meeting(world: World, meeting: Conference) -> None:
    response = world.client("clerk").get(
        reverse("papers:template_starter", args=[world.school.pk, "conference_minutes"])
    )
    assert response.status_code == 200
    assert upload(world, "conference_minutes", response.content).status_code == 302
    url = reverse("papers:download", args=["conference_minutes", meeting.pk, "docx"])
    document = open_docx(world.client("staff").get(url).content)
    text = text_of(document)
    assert "BIÊN BẢN" in text and "TRƯỜNG CAO ĐẲNG MẪU" in text
    assert "Lạng Sơn, ngày 26 tháng 9 năm 2023" in text
    assert "Đi công tác tại Sở" in text and "Thông qua quy chế chi tiêu nội bộ" in text
    assert "2 (66,67%)" in text and "Rà soát định mức giờ giảng của các khoa" in text
    assert "{{" not in text and "{%" not in text


def test_page_queries_do_not_grow_with_old_templates(world: World, school: Any) -> None:
    upload(world, "plan", GOOD)
    client = world.client("leadership")
    client.get(page(world))
    with CaptureQueriesContext(connection) as few:
        client.get(page(world))
    for number in range(4):
        upload(world, "plan", word_file(f"Mẫu {number} {{{{ trich_yeu }}}}"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(page(world))
    assert "4 mẫu đã thôi dùng" in response.content.decode()
    assert len(many) == len(few)


def test_a_template_that_fails_later_falls_back_to_the_built_in(
    world: World, school: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload(world, "plan", GOOD)

    def broken(data: bytes, context: dict[str, Any], *, strict: bool = False) -> bytes:
        raise ValueError("mẫu hỏng")

    monkeypatch.setattr(docx_templates, "fill", broken)
    assert "KẾ HOẠCH" in text_of(plan_docx(world))


@pytest.mark.parametrize(
    "role, shown", [("staff", False), ("unit_head", False), ("leadership", True), ("clerk", True)]
)
def test_menu_link_for_keepers_only(world: World, school: Any, role: str, shown: bool) -> None:
    html = world.client(role).get(reverse("planning:plan_list")).content.decode()
    assert (reverse("papers:my_templates") in html) is shown
