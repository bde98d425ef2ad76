"""A sent directive withdrawn (thu hồi) or corrected (đính chính) by the Sở: withdrawn, it stays
in every register it reached and on the tasks built on it, marked, with the reason, and goes no
further; corrected (before any school acted on it), its earlier text stays in its history, a
stale form is refused with 409; the recipients' leadership and clerks are told either way. Every
role, and no 500 on bad input."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from conftest import commit
from documents.models import Document
from documents.services import DocumentError
from notifications.models import Notification, NotificationKind
from planning import services as plan_services
from planning.models import TaskBasis
from planning.services import PlanningError
from province import services
from province.models import Audience
from province.services import ProvinceError
from province.tests.conftest import ROLES, Province

OK, FOUND, BAD, FORBIDDEN, NOT_FOUND, CONFLICT = 200, 302, 400, 403, 404, 409
REASON = "Ban hành nhầm phụ lục, sẽ thay bằng văn bản khác"


@pytest.fixture
def sent(province: Province) -> Province:
    """The directive sent to both colleges (not to the outsider's school)."""
    services.send_directive(
        province.directive, Audience.LEVEL, level="college", by=province.users["officer"]
    )
    Notification.objects.all().delete()
    return province


def _told() -> set[str]:
    return set(
        Notification.objects.filter(kind=NotificationKind.DIRECTIVE_RECEIVED).values_list(
            "user__username", flat=True
        )
    )


def _fresh(province: Province) -> Document:
    return Document._base_manager.get(pk=province.directive.pk)


# Withdrawal -------------------------------------------------------------------------------------


def test_withdrawn_directive_stays_marked_everywhere_and_goes_no_further(sent: Province) -> None:
    world = sent.world
    link = plan_services.link_basis(world.task, sent.directive, by=world.users["leadership"])
    school = world.client("staff")
    tree_url = reverse("planning:plan_detail", args=[world.plan.pk])
    # The plan's task tree, rendered (and its rows stored) before the withdrawal.
    assert "đã thu hồi" not in school.get(tree_url).content.decode()
    officer = sent.client("officer")
    response = officer.post(
        reverse("province:directive_withdraw", args=[sent.directive.pk]),
        {"withdraw-reason": REASON},
    )
    assert response.status_code == FOUND
    document = _fresh(sent)
    assert document.is_withdrawn and document.withdrawal_reason == REASON
    assert document.withdrawn_by == sent.users["officer"]
    assert not document.is_archived  # not deleted, not hidden
    assert document.history.latest().history_change_reason == f"Thu hồi: {REASON}"

    # The school's register lists it, marked; its page says why; the task keeps its link, marked
    # (on its page and in the plan's tree, whose stored row is rendered again once the change
    # commits).
    commit()
    tree = school.get(tree_url).content.decode()
    assert document.symbol in tree and "đã thu hồi" in tree
    register = school.get(reverse("documents:document_list")).content.decode()
    assert document.symbol in register and "Đã thu hồi" in register
    page = school.get(reverse("documents:document_detail", args=[document.pk])).content.decode()
    assert 'id="withdrawn"' in page and REASON in page
    assert TaskBasis.objects.filter(pk=link.pk, archived_at__isnull=True).exists()
    task_page = school.get(reverse("planning:task_detail", args=[world.task.pk])).content.decode()
    assert document.symbol in task_page and "Đã thu hồi" in task_page
    # The Sở's pages mark it too, and offer no more sending, correcting or withdrawing.
    detail = officer.get(reverse("province:directive_detail", args=[document.pk])).content.decode()
    assert 'id="withdrawn"' in detail and REASON in detail
    assert 'id="send-more"' not in detail and 'id="withdraw"' not in detail
    assert 'id="correct-link"' not in detail
    listing = officer.get(reverse("province:directive_list")).content.decode()
    assert "Đã thu hồi" in listing

    # No new link, no new sending, no second withdrawal.
    with pytest.raises(PlanningError, match="thu hồi"):
        plan_services.link_basis(world.subtask, document, by=world.users["leadership"])
    with pytest.raises(ProvinceError, match="thu hồi"):
        services.send_directive(document, Audience.ALL, by=sent.users["officer"])
    with pytest.raises(DocumentError, match="đã được thu hồi"):
        services.withdraw_directive(document, reason="Lần nữa", by=sent.users["officer"])


def test_withdrawal_tells_the_recipients_leadership_and_clerks_only(sent: Province) -> None:
    services.withdraw_directive(sent.directive, reason=REASON, by=sent.users["officer"])
    # The world's school received it (its leadership and clerk); the second college has nobody;
    # the outsider's school was not sent it; the officer did it; staff are not told.
    assert _told() == {"leadership", "clerk"}
    note = Notification.objects.get(user=sent.world.users["clerk"])
    assert note.title == "Sở GD&ĐT Mẫu thu hồi văn bản 1850/HD-SGDĐT"
    assert REASON in note.body
    assert note.url == reverse("documents:document_detail", args=[sent.directive.pk])


def test_a_withdrawal_needs_a_reason(sent: Province) -> None:
    with pytest.raises(DocumentError, match="lý do"):
        services.withdraw_directive(sent.directive, reason="   ", by=sent.users["officer"])
    response = sent.client("officer").post(
        reverse("province:directive_withdraw", args=[sent.directive.pk]), {"withdraw-reason": ""}
    )
    assert response.status_code == FOUND
    assert not _fresh(sent).is_withdrawn and not _told()


# anonymous, officer, sgd_member, leadership, staff, outsider
WITHDRAWS = (FOUND, FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_sgds_senders_withdraw(sent: Province, role: str) -> None:
    response = sent.client(role).post(
        reverse("province:directive_withdraw", args=[sent.directive.pk]),
        {"withdraw-reason": REASON},
    )
    assert response.status_code == WITHDRAWS[ROLES.index(role)]
    assert _fresh(sent).is_withdrawn is (role == "officer")
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# Correction -------------------------------------------------------------------------------------


def _correction(province: Province, **extra: Any) -> dict[str, Any]:
    return {
        "summary": "Hướng dẫn thực hiện nhiệm vụ năm học 2023–2024 (đính chính)",
        "reason": "Sai năm học trong trích yếu",
        "version": _fresh(province).version,
        **extra,
    }


def test_the_officer_corrects_the_summary_history_kept_schools_told(sent: Province) -> None:
    before = _fresh(sent)
    url = reverse("province:directive_correct", args=[before.pk])
    client = sent.client("officer")
    assert client.get(url).status_code == OK
    response = client.post(url, _correction(sent))
    assert response.status_code == FOUND
    after = _fresh(sent)
    assert after.summary.endswith("(đính chính)") and after.version > before.version
    # The earlier text is in the history, with the reason.
    records = list(after.history.order_by("history_date", "history_id"))
    assert records[-1].history_change_reason == "Đính chính: Sai năm học trong trích yếu"
    assert any(record.summary == before.summary for record in records[:-1])
    # The school reads the corrected text in its register; its leadership and clerk are told.
    page = sent.world.client("staff").get(reverse("documents:document_detail", args=[after.pk]))
    assert "(đính chính)" in page.content.decode()
    assert _told() == {"leadership", "clerk"}
    note = Notification.objects.get(user=sent.world.users["leadership"])
    assert note.title == "Sở GD&ĐT Mẫu đính chính văn bản 1850/HD-SGDĐT"
    assert "Sai năm học trong trích yếu" in note.body


def test_a_stale_correction_is_refused_with_409_keeping_what_was_typed(sent: Province) -> None:
    url = reverse("province:directive_correct", args=[sent.directive.pk])
    stale = _correction(sent, summary="Bản của người thứ hai")
    first = sent.client("officer").post(url, _correction(sent))
    assert first.status_code == FOUND
    told = Notification.objects.count()
    second = sent.client("officer").post(url, stale)
    assert second.status_code == CONFLICT
    assert "Bản của người thứ hai" in second.content.decode()  # what was typed is kept
    assert _fresh(sent).summary.endswith("(đính chính)")
    assert Notification.objects.count() == told


def test_no_correction_once_a_school_acted_or_after_withdrawal(sent: Province) -> None:
    world = sent.world
    plan_services.link_basis(world.task, sent.directive, by=world.users["leadership"])
    url = reverse("province:directive_correct", args=[sent.directive.pk])
    client = sent.client("officer")
    detail = client.get(reverse("province:directive_detail", args=[sent.directive.pk]))
    assert 'id="correct-link"' not in detail.content.decode()
    assert client.get(url).status_code == FOUND
    response = client.post(url, _correction(sent))
    assert response.status_code == FOUND
    assert not _fresh(sent).summary.endswith("(đính chính)")
    document = _fresh(sent)
    document.summary = "Khác"
    with pytest.raises(ProvinceError, match="Đã có trường xây dựng nhiệm vụ"):
        services.correct_directive(document, reason="x", by=sent.users["officer"])


def test_no_correction_after_withdrawal(sent: Province) -> None:
    services.withdraw_directive(sent.directive, reason=REASON, by=sent.users["officer"])
    document = _fresh(sent)
    document.summary = "Khác"
    with pytest.raises(ProvinceError, match="thu hồi"):
        services.correct_directive(document, reason="x", by=sent.users["officer"])


def test_the_register_does_not_edit_or_archive_a_sent_directive(sent: Province) -> None:
    """Its own register's pages would reach no school: the Sở corrects or withdraws it here."""
    client = sent.client("officer")
    detail = client.get(reverse("documents:document_detail", args=[sent.directive.pk]))
    assert reverse("documents:document_edit", args=[sent.directive.pk]) not in (
        detail.content.decode()
    )
    edit = client.get(reverse("documents:document_edit", args=[sent.directive.pk]))
    assert edit.status_code == FOUND
    archive = client.post(reverse("documents:document_archive", args=[sent.directive.pk]))
    assert archive.status_code == FOUND
    assert not _fresh(sent).is_archived


# anonymous, officer, sgd_member, leadership, staff, outsider
CORRECTS = (FOUND, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_sgds_senders_correct(sent: Province, role: str) -> None:
    url = reverse("province:directive_correct", args=[sent.directive.pk])
    client = sent.client(role)
    assert client.get(url).status_code == CORRECTS[ROLES.index(role)]
    response = client.post(url, _correction(sent))
    changed = _fresh(sent).summary.endswith("(đính chính)")
    assert changed is (role == "officer")
    if role != "officer":
        assert response.status_code == CORRECTS[ROLES.index(role)]


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"summary": "", "reason": "x", "version": "1"},
        {"summary": "Mới", "reason": "", "version": "1"},
        {"summary": "Mới", "reason": "x", "version": "abc"},
        {"summary": "Mới", "reason": "x"},
        {"summary": "Mới", "reason": "x" * 600, "version": "1"},
    ],
)
def test_no_500_on_bad_correction_input(sent: Province, data: dict[str, Any]) -> None:
    response = sent.client("officer").post(
        reverse("province:directive_correct", args=[sent.directive.pk]), data
    )
    # An empty POST shows the form afresh, as everywhere on the site.
    assert response.status_code == (BAD if data else OK)
    assert _fresh(sent).summary == sent.directive.summary


@pytest.mark.parametrize("data", [{}, {"withdraw-reason": ""}, {"withdraw-reason": "x" * 600}])
def test_no_500_on_bad_withdrawal_input(sent: Province, data: dict[str, Any]) -> None:
    response = sent.client("officer").post(
        reverse("province:directive_withdraw", args=[sent.directive.pk]), data
    )
    assert response.status_code == FOUND
    assert not _fresh(sent).is_withdrawn


@pytest.mark.parametrize("name", ["directive_correct", "directive_withdraw"])
def test_unknown_or_other_bodys_directive_is_404(sent: Province, name: str) -> None:
    client = sent.client("officer")
    assert client.post(reverse(f"province:{name}", args=[999999])).status_code == NOT_FOUND
    # A document of the school's own register is not the Sở's directive.
    url = reverse(f"province:{name}", args=[sent.world.document.pk])
    assert client.post(url, {"withdraw-reason": "x"}).status_code == NOT_FOUND
    assert not Document._base_manager.get(pk=sent.world.document.pk).is_withdrawn


def test_withdraw_only_by_post(sent: Province) -> None:
    url = reverse("province:directive_withdraw", args=[sent.directive.pk])
    assert sent.client("officer").get(url).status_code == 405


# A withdrawn directive elsewhere ----------------------------------------------------------------


def test_a_merger_carries_a_task_built_on_a_withdrawn_directive(province: Province) -> None:
    """The merger puts the directive in the new school's register with the carried task's link
    (a link that already was, not a new basis); it was refused as a new sending, and with it the
    whole merger."""
    from province import mergers
    from province.tests.test_mergers import DAY, DECISION

    world, officer = province.world, province.users["officer"]
    services.send_directive(province.directive, Audience.LIST, schools=[world.school], by=officer)
    plan_services.link_basis(world.task, province.directive, by=world.users["leadership"])
    services.withdraw_directive(province.directive, reason=REASON, by=officer)
    mergers.merge_school(
        world.school, into=province.college, decision=DECISION, effective_on=DAY,
        body=province.sgd, by=officer,
    )  # fmt: skip
    carried = TaskBasis.objects.filter(
        document=province.directive, task__plan__school=province.college
    )
    assert carried.count() == 1


def test_no_new_basis_on_a_withdrawn_directive_by_any_path(sent: Province) -> None:
    """Not as a plan's basis (the picker does not offer it; the service refuses it), not copied
    into next year's plan, not as a step of an opening dossier; a plan that cited it before keeps
    it."""
    from planning.forms import PlanBasesForm
    from planning.models import PlanBasis

    world, leader = sent.world, sent.world.users["leadership"]
    plan_services.link_basis(world.task, sent.directive, by=leader)
    services.withdraw_directive(sent.directive, reason=REASON, by=sent.users["officer"])
    withdrawn = _fresh(sent)

    offered = PlanBasesForm(school_id=world.school.pk).fields["documents"].queryset
    assert withdrawn not in offered and world.document in offered
    with pytest.raises(PlanningError, match="thu hồi"):
        plan_services.add_plan_bases(world.plan, [withdrawn], by=leader)
    PlanBasis.objects.create(plan=world.plan, document=withdrawn, order=9)  # cited before
    kept = (
        PlanBasesForm(school_id=world.school.pk, initial={"documents": [withdrawn.pk]})
        .fields["documents"]
        .queryset
    )
    assert withdrawn in kept
    plan_services.add_plan_bases(world.plan, [world.document], by=leader)  # others still come in

    copy = plan_services.copy_plan(world.plan, start_year=world.plan.start_year + 1, by=leader)
    assert not PlanBasis.objects.filter(plan=copy, document=withdrawn).exists()
    assert not TaskBasis.objects.filter(task__plan=copy, document=withdrawn).exists()


def test_the_sos_register_import_changes_no_sent_directive(sent: Province) -> None:
    """Exported, edited and imported back, the register would rewrite a directive the schools
    already have, without its reason or their being told: that row is refused; unchanged, it
    stays unchanged."""
    from documents import excel

    body = sent.sgd
    exported = excel.documents_workbook(Document._base_manager.filter(school=body))
    assert excel.read_documents(body, exported).counts["error"] == 0
    book = openpyxl.load_workbook(io.BytesIO(exported))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("Trích yếu") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, column).value == sent.directive.summary:
            sheet.cell(row, column).value = "Trích yếu đã sửa"
    changed = io.BytesIO()
    book.save(changed)
    result = excel.read_documents(body, changed.getvalue())
    assert result.counts["error"] == 1
    assert "chỉ đính chính hoặc thu hồi" in result.errors[0][2]
    assert _fresh(sent).summary == sent.directive.summary
