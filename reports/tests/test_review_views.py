"""The review step's pages for every role, what each one sees of the state, bad input (never a
500), and the home page's reports to sign."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from notifications.models import Notification, NotificationKind
from planning.models import Plan, PlanStatus
from reports import services
from reports.models import Report, ReportStatus
from reports.tests.helpers import CUTOFF, semester, track, unit_report
from reports.tests.review import add_reviewers, principal, told
from reports.tests.test_views import count, grow

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
ROLES = ["anonymous", "outsider", "officer", "staff", "clerk", "unit_head", "leadership"]


@pytest.fixture
def reviewed(world: World) -> World:
    """Two drafts (the school's, the office's) and the same two submitted by their deputies."""
    world = add_reviewers(track(world))
    world.draft = semester(world)  # type: ignore[attr-defined]
    world.unit_draft = unit_report(world)  # type: ignore[attr-defined]
    world.submitted = submit(world, semester(world), "vice", "Kính trình.")  # type: ignore[attr-defined]
    world.unit_submitted = submit(world, unit_report(world), "deputy")  # type: ignore[attr-defined]
    Notification.objects.all().delete()
    return world


def submit(world: World, report: Report, role: str, note: str = "") -> Report:
    return services.submit_report(
        report, by=world.users[role], note=note, expected_version=report.version
    )


def client(world: World, role: str) -> Any:
    return world.client(role)


def url(name: str, report: Report) -> str:
    return reverse(f"reports:report_{name}", args=[report.pk])


SCHOOL = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
UNIT = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, OK, OK)

# (name, page, report, expected status for each of ROLES)
PAGES: list[tuple[str, str, Callable[[Any], Report], tuple[int, ...]]] = [
    ("submit school report", "submit", lambda w: w.draft, SCHOOL),
    ("submit unit report", "submit", lambda w: w.unit_draft, UNIT),
    ("return school report", "return", lambda w: w.submitted, SCHOOL),
    ("return unit report", "return", lambda w: w.unit_submitted, UNIT),
    ("issue submitted school report", "issue", lambda w: w.submitted, SCHOOL),
    ("issue submitted unit report", "issue", lambda w: w.unit_submitted, UNIT),
    ("submitted school report", "detail", lambda w: w.submitted, (LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "page", "report", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    reviewed: World, role: str, name: str, page: str, report: Any, expected: tuple[int, ...]
) -> None:
    target = report(reviewed)
    response = client(reviewed, role).get(url(page, target))
    status = expected[ROLES.index(role)]
    assert response.status_code == status, f"{name} as {role}"
    if status == LOGIN:
        assert response["Location"].startswith(reverse("login"))
    if status in (FORBIDDEN, NOT_FOUND):
        assert target.summary not in response.content.decode()


# (name, page, report, form, the status it ends in when it goes through, expected per role)
POSTS: list[tuple[str, str, Callable[[Any], Report], dict[str, str], str, tuple[int, ...]]] = [
    ("submit school report", "submit", lambda w: w.draft, {"note": "Kính trình."}, ReportStatus.SUBMITTED, SCHOOL),
    ("submit unit report", "submit", lambda w: w.unit_draft, {"note": ""}, ReportStatus.SUBMITTED, UNIT),
    ("return school report", "return", lambda w: w.submitted, {"reason": "Bổ sung số liệu."}, ReportStatus.RETURNED, SCHOOL),
    ("return unit report", "return", lambda w: w.unit_submitted, {"reason": "Bổ sung số liệu."}, ReportStatus.RETURNED, UNIT),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "page", "report", "form", "after", "expected"), POSTS, ids=[p[0] for p in POSTS]
)
def test_post_for_role(
    reviewed: World,
    role: str,
    name: str,
    page: str,
    report: Any,
    form: dict[str, str],
    after: str,
    expected: tuple[int, ...],
) -> None:
    target = report(reviewed)
    before = target.status
    response = client(reviewed, role).post(url(page, target), {"version": target.version, **form})
    target.refresh_from_db()
    if expected[ROLES.index(role)] == OK:
        assert response.status_code == 302, f"{name} as {role}"
        assert response["Location"] == url("detail", target)
        assert target.status == after
    else:
        assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"
        assert target.status == before
        assert not Notification.objects.exists()


def test_submitting_through_the_page(reviewed: World) -> None:
    report = reviewed.draft
    vice = client(reviewed, "vice")
    page = vice.get(url("submit", report)).content.decode()
    told_line = page[page.index('id="review-told"') :].split("</p>")[0]
    # The principal (once, with his two positions), not the vice-principal who submits.
    assert told_line.endswith("<strong>Thông báo sẽ gửi tới:</strong> Phùng Quý Sơn.\n")
    assert 'id="review-problems"' in page  # the draft's gaps, before it goes
    response = vice.post(
        url("submit", report), {"version": report.version, "note": "Kính trình Hiệu trưởng."}
    )
    assert response.status_code == 302
    assert told(NotificationKind.REPORT_TO_REVIEW) == [reviewed.users["leadership"]]
    detail = vice.get(response["Location"])
    assert "Đã trình ký báo cáo; người ký đã nhận được thông báo." in detail.content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_return_without_a_reason_is_refused(reviewed: World, reason: str) -> None:
    report = reviewed.submitted
    response = client(reviewed, "leadership").post(
        url("return", report), {"version": report.version, "reason": reason}
    )
    assert response.status_code == 400
    assert "Hãy ghi lý do trả lại, để người soạn biết cần sửa gì." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert not Notification.objects.exists()


def test_an_old_version_is_refused_then_a_deliberate_second_send_goes_through(
    reviewed: World,
) -> None:
    report = reviewed.submitted
    opened = report.version
    services.update_narrative(
        report, by=reviewed.users["vice"], texts={"proposals": "Sửa trong lúc chờ ký."},
        expected_version=opened,
    )  # fmt: skip
    form = {"version": opened, "reason": "Chưa rõ phương hướng."}
    response = client(reviewed, "leadership").post(url("return", report), form)
    assert response.status_code == 409
    body = response.content.decode()
    assert "vừa được Trần Văn Phó thay đổi" in body and "Đã trình ký" in body
    assert "Chưa rõ phương hướng." in body  # what was typed stays
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert f'value="{report.version}"' in body  # armed for a deliberate second send
    again = client(reviewed, "leadership").post(
        url("return", report), {**form, "version": report.version}
    )
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


@pytest.mark.parametrize("version", ["", "abc", "0", "-3"])
def test_a_broken_version_is_a_form_error(reviewed: World, version: str) -> None:
    for page, report, form in [
        ("submit", reviewed.draft, {"note": ""}),
        ("return", reviewed.submitted, {"reason": "Lý do."}),
    ]:
        response = client(reviewed, "leadership").post(
            url(page, report), {"version": version, **form}
        )
        assert response.status_code == 400, page
    assert not Notification.objects.exists()


def test_a_too_long_message_is_a_form_error(reviewed: World) -> None:
    report = reviewed.draft
    response = client(reviewed, "leadership").post(
        url("submit", report), {"version": report.version, "note": "x" * 1001}
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_steps_out_of_turn_go_back_to_the_report(reviewed: World) -> None:
    """Submitting what waits for signature, returning a draft, anything on an issued or archived
    report: back to the report with a word, nothing changed."""
    issued = services.issue_report(
        semester(reviewed), by=reviewed.users["leadership"], on=CUTOFF, signer=principal(reviewed)
    )
    archived = services.archive_report(semester(reviewed), by=reviewed.users["leadership"])
    Notification.objects.all().delete()
    cases = [
        ("submit", reviewed.submitted, "Báo cáo đã được trình ký, đang chờ ký."),
        ("return", reviewed.draft, "Chỉ trả lại được báo cáo đang chờ ký."),
        ("submit", issued, "Báo cáo đã ban hành."),
        ("return", issued, "Báo cáo đã ban hành."),
        ("submit", archived, "Báo cáo đã lưu trữ."),
    ]
    leader = client(reviewed, "leadership")
    for page, report, message in cases:
        for method in (leader.get, leader.post):
            response = method(url(page, report), {"version": report.version, "reason": "Lý do."})
            assert response.status_code == 302, (page, report.status)
            assert response["Location"] == url("detail", report)
        shown = leader.get(url("detail", report)).content.decode()
        assert message in shown, message
    statuses = dict(Report.objects.values_list("pk", "status"))
    assert statuses[reviewed.submitted.pk] == ReportStatus.SUBMITTED
    assert statuses[reviewed.draft.pk] == ReportStatus.DRAFT
    assert statuses[issued.pk] == ReportStatus.ISSUED
    assert not Notification.objects.exists()
    assert leader.get(reverse("reports:report_submit", args=[999999])).status_code == NOT_FOUND


def test_the_submitter_cannot_return_their_own_submission(reviewed: World) -> None:
    report = reviewed.submitted
    page = client(reviewed, "vice").get(url("detail", report)).content.decode()
    assert 'id="return-report"' not in page
    response = client(reviewed, "vice").post(
        url("return", report), {"version": report.version, "reason": "Tự trả lại."}
    )
    assert response.status_code == 400
    assert "hãy sửa trực tiếp" in response.content.decode()


def detail(world: World, role: str, report: Report) -> str:
    response = client(world, role).get(url("detail", report))
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_page_tells_the_state_and_offers_each_role_its_buttons(
    reviewed: World,
) -> None:
    draft = detail(reviewed, "leadership", reviewed.draft)
    assert '<span class="badge text-bg-warning" id="status">Dự thảo</span>' in draft
    for button in ("edit-report", "submit-report", "issue-report"):
        assert f'id="{button}"' in draft
    assert 'id="return-report"' not in draft
    # Staff, a clerk: the state, no buttons.
    for role in ("staff", "clerk"):
        page = detail(reviewed, role, reviewed.submitted)
        # Who may sign but the vice-principal, who submitted it.
        assert "Đã trình ký — chờ Hiệu trưởng Phùng Quý Sơn ký." in page
        for button in ("edit-report", "submit-report", "return-report", "issue-report"):
            assert f'id="{button}"' not in page, (role, button)
    submitted = detail(reviewed, "leadership", reviewed.submitted)
    assert '<span class="badge text-bg-primary" id="status">Đã trình ký</span>' in submitted
    assert "Trần Văn Phó trình ký lúc" in submitted
    assert "<strong>Lời trình:</strong> Kính trình." in submitted
    assert "Lời trình: <del" in submitted[submitted.index('id="lich-su"') :]
    assert "nội dung vẫn sửa được" in submitted
    assert 'id="return-report"' in submitted and 'id="issue-report"' in submitted
    assert 'id="submit-report"' not in submitted
    # The unit head signs the office's report: the deputy submitted it.
    unit = detail(reviewed, "unit_head", reviewed.unit_submitted)
    assert "Đã trình ký — chờ Trưởng phòng Nguyễn Thị Phương Loan ký." in unit
    assert 'id="return-report"' in unit
    # Edited after submission: the signer sees which parts.
    report = services.update_narrative(
        reviewed.submitted, by=reviewed.users["vice"], texts={"direction": "Mới."},
        expected_version=reviewed.submitted.version,
    )  # fmt: skip
    page = detail(reviewed, "leadership", report)
    assert "Đã sửa sau khi trình ký: Phương hướng, nhiệm vụ kỳ tới" in page
    assert "Sửa nội dung báo cáo sau khi trình ký" in page  # the history
    # Returned: the reason, and the drafter's way back.
    client(reviewed, "leadership").post(
        url("return", report), {"version": report.version, "reason": "Nêu rõ nguyên nhân."}
    )
    returned = detail(reviewed, "vice", report)
    assert '<span class="badge text-bg-danger" id="status">Bị trả lại</span>' in returned
    assert "Bị trả lại: Nêu rõ nguyên nhân." in returned
    assert "Phùng Quý Sơn trả lại lúc" in returned
    # The history keeps the step, who took it and why.
    history = returned[returned.index('id="lich-su"') :]
    assert "Trả lại báo cáo để chỉnh sửa" in history
    assert "Lý do trả lại: <del" in history and "→ Nêu rõ nguyên nhân.</li>" in history
    assert "Trạng thái: <del" in history and "→ Bị trả lại</li>" in history
    assert "Trình ký lại" in returned and 'id="return-report"' not in returned
    edit = client(reviewed, "vice").get(url("edit", report)).content.decode()
    assert 'id="edit-returned"' in edit and "Nêu rõ nguyên nhân." in edit
    listing = client(reviewed, "staff").get(reverse("reports:report_list", args=[reviewed.plan.pk]))
    body = listing.content.decode()
    assert "Bị trả lại</span>" in body and "Đã trình ký</span>" in body and "Dự thảo</span>" in body


def test_the_edit_page_says_the_report_stays_submitted(reviewed: World) -> None:
    page = client(reviewed, "leadership").get(url("edit", reviewed.submitted)).content.decode()
    assert 'id="edit-submitted"' in page and "báo cáo vẫn chờ ký" in page


def test_the_submitted_report_page_costs_the_same_for_a_small_and_a_large_plan(
    reviewed: World,
) -> None:
    services.update_narrative(
        reviewed.submitted, by=reviewed.users["vice"], texts={"direction": "Mới."},
        expected_version=reviewed.submitted.version,
    )  # fmt: skip
    small = count(reviewed, url("detail", reviewed.submitted))
    grow(reviewed, 12)
    assert count(reviewed, url("detail", reviewed.submitted)) == small


def home_rows(world: World, role: str) -> list[str]:
    """The reports listed under "Chờ tôi quyết định", in order, as the links' targets."""
    body = client(world, role).get(reverse("home")).content.decode()
    rows = []
    for chunk in body.split('data-decision="report"')[:-1]:
        rows.append(chunk[chunk.rindex('href="') + 6 :].split('"')[0])
    return rows


def test_the_home_page_lists_submitted_reports_first(reviewed: World) -> None:
    Plan.objects.filter(pk=reviewed.plan.pk).update(status=PlanStatus.ISSUED)
    # An older draft (earlier cut-off) would come first without the review step.
    older = services.create_report(
        reviewed.plan, kind="semester", cutoff=dt.date(2023, 12, 1), by=reviewed.users["leadership"]
    )
    rows = home_rows(reviewed, "leadership")
    assert rows[0] == url("detail", reviewed.submitted)
    assert rows[1] == url("detail", reviewed.unit_submitted)
    assert set(rows[2:]) == {url("detail", r) for r in (older, reviewed.draft, reviewed.unit_draft)}
    body = client(reviewed, "leadership").get(reverse("home")).content.decode()
    assert "Trình ký báo cáo</span>Sơ kết học kỳ I" in body
    assert "Trần Văn Phó trình ký lúc" in body
    # One's own submission waits for the others, not for oneself.
    assert url("detail", reviewed.submitted) not in home_rows(reviewed, "vice")
    # The unit head: the office's reports only, the submitted one first.
    assert home_rows(reviewed, "unit_head") == [
        url("detail", reviewed.unit_submitted),
        url("detail", reviewed.unit_draft),
    ]
    # Returned: no longer waiting for the one who returned it; back with its drafter.
    report = reviewed.submitted
    services.return_report(
        report, by=reviewed.users["leadership"], reason="Bổ sung.", expected_version=report.version
    )
    assert url("detail", report) not in home_rows(reviewed, "leadership")
    assert home_rows(reviewed, "vice")[0] == url("detail", reviewed.unit_submitted)
    assert url("detail", report) in home_rows(reviewed, "vice")
    assert (
        "Báo cáo bị trả lại</span>"
        in client(reviewed, "vice").get(reverse("home")).content.decode()
    )
    # Staff and a clerk sign nothing.
    for role in ("staff", "clerk"):
        assert home_rows(reviewed, role) == []
