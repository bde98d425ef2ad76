"""The demo conference of 26/9/2023: its news article states every fact of the source article."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from conferences import texts
from conferences.models import Conference
from conferences.quorum import quorum
from conftest import close_response
from planning.models import Plan, PlanAmendment

CAPTIONS = [
    "Toàn cảnh Hội nghị",
    "Đồng chí Nguyễn Thế Dương – Phó Bí thư Đảng ủy, Phó Hiệu trưởng trình bày nhiệm vụ trọng "
    "tâm năm học 2023-2024",
    "Các đồng chí trong Ban Giám hiệu điều hành phần phát biểu, thảo luận",
    "Đồng chí Nguyễn Thị Phương Loan – Trưởng phòng KHCN&ĐBCL phát biểu tại hội nghị",
    "Đồng chí Vi Hồng Thắm – Phó Hiệu trưởng phát động thi đua năm học 2023-2024",
    "Đồng chí Phùng Quý Sơn – Bí thư Đảng ủy, Hiệu trưởng phát biểu kết luận Hội nghị",
]

FACTS = [
    # The title and the day, written as the school's website writes dates.
    "Trường Cao đẳng Sư phạm Lạng Sơn tổ chức Hội nghị triển khai nhiệm vụ trọng tâm năm học 2023-2024",
    "Ngày 26/9/2023, Nhà trường tổ chức Hội nghị triển khai nhiệm vụ trọng tâm năm học 2023-2024",
    # The bases, summarised as the source does: three named, the local guidance without numbers.
    "Căn cứ Quyết định số 2457/QĐ-BGDĐT, ngày 23/8/2023 của Bộ trưởng Bộ Giáo dục và Đào tạo về "
    "việc ban hành Kế hoạch nhiệm vụ, giải pháp trọng tâm năm học 2023-2024 của ngành giáo dục; "
    "Công văn số 5155/BGDĐT-GDĐH, ngày 22/9/2023 của Bộ Giáo dục và Đào tạo về việc hướng dẫn thực "
    "hiện nhiệm vụ năm học 2023-2024 đối với giáo dục đại học, cao đẳng sư phạm; Chỉ thị số "
    "06/CT-UBND, ngày 05/9/2023 của Chủ tịch UBND tỉnh Lạng Sơn về thực hiện nhiệm vụ trọng tâm năm "
    "học 2023-2024; căn cứ các văn bản hướng dẫn của Ủy ban nhân dân tỉnh và Sở Giáo dục và Đào tạo, "
    "Trường Cao đẳng Sư phạm Lạng Sơn đã xây dựng nhiệm vụ trọng tâm năm học phù hợp với thực tiễn "
    "của nhà trường.",
    # NQ 63, cited where the source cites it: in what the vice-principal presented.
    "Nghị quyết số 63-NQ/TU, ngày 29/12/2021 của Ban Thường vụ Tỉnh ủy về tiếp tục đổi mới căn bản, "
    "phát triển toàn diện giáo dục và đào tạo trên địa bàn tỉnh Lạng Sơn giai đoạn 2021-2025, định "
    "hướng đến năm 2030",
    # Who attended, by group.
    "Tham dự Hội nghị có các đồng chí trong Ban chấp hành Đảng ủy, Ban Giám hiệu, lãnh đạo các phòng, "
    "khoa, các tổ chức đoàn thể và toàn thể cán bộ, viên chức và nhân viên trong nhà trường.",
    # Who presented what.
    "Tại Hội nghị, đồng chí Nguyễn Thế Dương – Phó Bí thư Đảng ủy, Phó Hiệu trưởng đã triển khai "
    "nhiệm vụ trọng tâm năm học 2023-2024.",
    "Tập trung thực hiện các nhiệm vụ, giải pháp của Nghị quyết số 63-NQ/TU",
    "Tiếp tục đổi mới quản trị, cải cách hành chính theo hướng tinh gọn, hiệu quả, minh bạch",
    "Đồng thời đề ra 08 nhiệm vụ, giải pháp chủ yếu để đạt được mục tiêu, chỉ tiêu của năm học",
    "Đồng chí Nguyễn Thị Phương Loan – Trưởng phòng KHCN&ĐBCL phát biểu tại hội nghị.",
    "Các đồng chí trong Ban Giám hiệu điều hành phần phát biểu, thảo luận.",
    # The opinions and their topics.
    "Với tinh thần dân chủ và mang tính xây dựng, Hội nghị đã nhận được 07 ý kiến tham góp về các giải "
    "pháp xây dựng cơ cấu tổ chức hiệu lực, hiệu quả; Tiếp tục đổi mới quản lý và tổ chức thực hiện "
    "tốt các nhiệm vụ chính trị của nhà trường trong chuyển đổi số.",
    # The emulation launch.
    "Đồng chí Vi Hồng Thắm – Phó Hiệu trưởng đã thay mặt lãnh đạo nhà trường phát động thi đua năm học "
    "2023-2024 trong toàn thể cán bộ quản lý, nhà giáo, người lao động và học sinh, sinh viên.",
    "Tin tưởng rằng, toàn trường sẽ nêu cao tinh thần đoàn kết, nỗ lực phấn đấu, quyết tâm thực hiện "
    "thắng lợi nhiệm vụ năm học.",
    # The conclusions.
    "Đồng chí Phùng Quý Sơn – Bí thư Đảng ủy, Hiệu trưởng đã phát biểu kết luận Hội nghị và chỉ đạo "
    "thực hiện nhiệm vụ năm học. Trong đó nhấn mạnh một số nhiệm vụ chủ yếu như: Phân công lao động "
    "đồng đều một cách tối đa; công tác tuyển sinh đã đạt được những kết quả tốt, tuy nhiên cần duy "
    "trì sĩ số sinh viên trong toàn khóa học; tiếp tục phát triển ngành nghề, quy mô đào tạo, liên kết "
    "bồi dưỡng; thực hiện tốt các giải pháp về quản lý HSSV nội ngoại trú; xây dựng văn hóa công sở, "
    "kỷ luật kỷ cương hành chính; xây dựng định hướng phát triển nhà trường.",
    "kêu gọi toàn thể hội đồng sư phạm nhà trường hãy nêu cao tinh thần đoàn kết, nhất trí, ổn định về "
    "tư tưởng, chuyển biến về nhận thức và thể hiện bằng những hành động cụ thể, thiết thực phấn đấu "
    "hoàn thành tốt nhiệm vụ năm học 2023-2024.",
    "Một số hình ảnh của Hội nghị:",
]


@pytest.fixture
def demo_conference(demo_plan: Plan, db: None) -> Conference:
    # The demo school is loaded once for the module (conftest's `demo_plan`).
    return Conference.objects.select_related("plan").get()


def test_the_article_states_every_fact_of_the_source(demo_conference: Conference) -> None:
    text = texts.article(demo_conference)
    flat = " ".join(text.split())
    for fact in FACTS:
        assert fact in flat, fact
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("Một số hình ảnh của Hội nghị:")
    assert [line for line in lines[start + 1 :] if line] == CAPTIONS


def test_the_demo_conference_is_recorded_as_data(demo_conference: Conference) -> None:
    conference = demo_conference
    assert [g.name for g in conference.groups.order_by("order")] == [
        "Ban chấp hành Đảng ủy",
        "Ban Giám hiệu",
        "lãnh đạo các phòng, khoa",
        "các tổ chức đoàn thể",
        "toàn thể cán bộ, viên chức và nhân viên trong nhà trường",
    ]
    presenters = [
        (i.presenter.full_name if i.presenter else i.presenter_label, i.kind)
        for i in conference.agenda_items.order_by("order")
    ]
    assert presenters == [
        ("Nguyễn Thế Dương", "report"),
        ("Nguyễn Thị Phương Loan", "speech"),
        ("Các đồng chí trong Ban Giám hiệu", "discussion"),
        ("Vi Hồng Thắm", "emulation"),
        ("Phùng Quý Sơn", "conclusion"),
    ]
    assert conference.opinions.count() == 7
    assert conference.opinions.filter(is_sample=False).count() == 0  # their wording is invented
    assert conference.emulation_launch.launched_by.full_name == "Vi Hồng Thắm"
    directives = conference.conclusions.filter(is_directive=True)
    assert directives.count() == 6
    assert all(c.task and c.task.plan_id == conference.plan_id for c in directives)
    assert [p.caption for p in conference.photos.order_by("order")] == CAPTIONS
    for photo in conference.photos.all():
        with photo.image.open("rb") as image:
            assert image.read(8) == b"\x89PNG\r\n\x1a\n"


def test_accepted_opinions_became_tasks_in_a_recorded_amendment(
    demo_conference: Conference,
) -> None:
    accepted = demo_conference.opinions.filter(answer_kind="accepted")
    assert accepted.count() == 2 and all(o.resulting_task for o in accepted)
    new_task = accepted.get(number=1).resulting_task
    assert new_task is not None and new_task.code == "1.2.1"
    # The conference's amendment (the students' demo opens its own for its follow-up tasks).
    amendment = PlanAmendment.objects.get(
        plan=demo_conference.plan, reason__contains="Hội nghị triển khai nhiệm vụ trọng tâm"
    )
    # Its number is the plan's first: the conference came before the year's other changes.
    assert amendment.number == 1
    assert amendment.closed_at is not None  # the plan is locked again


def test_minutes_and_resolution_come_from_the_data(demo_conference: Conference) -> None:
    minutes = texts.minutes(demo_conference)
    assert "Lạng Sơn, ngày 26 tháng 9 năm 2023" in minutes
    state = quorum(demo_conference)
    assert state.absent == 2 and state.reached
    assert "BIÊN BẢN" in minutes and f"có mặt: {state.present}; vắng: 2" in minutes
    assert "đạt, Hội nghị đủ điều kiện tiến hành" in minutes
    resolution = texts.resolution(demo_conference)
    assert "NGHỊ QUYẾT" in resolution and "với 08 nhiệm vụ, giải pháp chủ yếu" in resolution


SOURCE = (
    Path(settings.BASE_DIR).parent.parent / "shared/source/cdsp-lang-son-hoi-nghi-2023-2024.txt"
)
SYMBOL = re.compile(r"\b\d+(?:/\d{4})?[-/][A-ZĐ]+(?:[-/][A-ZĐ&]+)*\b")


def symbols(text: str) -> list[str]:
    return SYMBOL.findall(text)


def test_the_article_cites_no_document_number_the_source_does_not_give(
    demo_conference: Conference,
) -> None:
    text = texts.article(demo_conference)
    cited = symbols(text)
    # The source's own numbers (kept here so the test runs without the shared folder too).
    source_numbers = {"2457/QĐ-BGDĐT", "5155/BGDĐT-GDĐH", "06/CT-UBND", "63-NQ/TU"}
    if SOURCE.exists():
        assert set(symbols(SOURCE.read_text(encoding="utf-8"))) == source_numbers
    assert set(cited) == source_numbers
    # The demo's invented guidance of the Sở (1850/HD-SGDĐT) is one of the plan's bases, but the
    # article summarises guidance as the source does.
    assert demo_conference.plan.basis_links.filter(document__number="1850").exists()
    assert "1850" not in text


def test_no_document_is_cited_twice(demo_conference: Conference) -> None:
    cited = symbols(texts.article(demo_conference))
    assert len(cited) == len(set(cited)), cited


def test_the_article_has_no_tally_written_after_the_day(demo_conference: Conference) -> None:
    # The demo's answers to opinions were given after the conference (when the demo was loaded).
    assert demo_conference.opinions.exclude(answer_kind="").exists()
    text = texts.article(demo_conference)
    assert "đã trả lời" not in text and "tiếp thu" not in text


def test_answers_given_on_the_day_are_told(demo_conference: Conference) -> None:
    held = dt.datetime.combine(
        demo_conference.held_on, dt.time(10), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")
    )
    demo_conference.opinions.exclude(answer_kind="").update(answered_at=held)
    text = texts.article(demo_conference)
    assert "Lãnh đạo nhà trường đã trả lời 6 ý kiến, tiếp thu 2 ý kiến vào kế hoạch năm học" in text


def test_the_article_page_shows_the_photos_with_their_captions(
    demo_conference: Conference, client: Client
) -> None:
    user = get_user_model().objects.get(username="nongthihanh")  # a member of staff
    client.force_login(user)
    response = client.get(reverse("conferences:article", args=[demo_conference.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    article = html[html.index('id="article"') :]
    for photo in demo_conference.photos.order_by("order"):
        src = reverse("conferences:photo_file", args=[photo.pk])
        figure = article[article.index(f'src="{src}"') :]
        caption = figure[figure.index("<figcaption") : figure.index("</figcaption>")]
        assert escape(photo.caption) in caption
    # Captions stand under their photos, not again as bare paragraphs.
    assert article.count(escape(CAPTIONS[0])) == 2  # the alt text and the caption
    served = client.get(src)
    assert served.status_code == 200
    close_response(served)  # without closing the database connection under the module's transaction
