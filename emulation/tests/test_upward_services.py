"""The dossier a school sends the Sở: its versions, its trail with who and when, the notices to
the other side at each step, and the awarded titles written back into the year's titles."""

from __future__ import annotations

import datetime as dt

import pytest

from emulation.models import (
    DossierAction,
    DossierEvent,
    DossierItem,
    DossierStatus,
    DossierVersion,
    TitleHistory,
    TitleSource,
)
from emulation.services import upward as services
from emulation.services.common import EmulationError
from emulation.tests.upward_helpers import Upward
from notifications.models import Notification, NotificationKind
from organisations.models import Organisation

DECIDED_ON = dt.date(2024, 8, 20)


def _told(user: object, text: str) -> bool:
    return Notification.objects.filter(
        user=user, kind=NotificationKind.EMULATION_DECISION, title__contains=text
    ).exists()


def test_the_proposals_are_the_tờ_trìnhs_with_whom_they_name(upward: Upward) -> None:
    proposals = services.proposals(upward.campaign)
    titles = {(p.title, p.who) for p in proposals}
    assert ("Bằng khen của Bộ trưởng", "Hoàng Văn An") in titles
    assert any(p.unit_name == "Khoa Tự nhiên" and p.person_id is None for p in proposals)
    staff = upward.council.people["staff"]
    assert all(p.person_id == staff.pk for p in proposals if p.name == "Hoàng Văn An")


def test_sending_makes_version_one_with_items_papers_and_the_trail(upward: Upward) -> None:
    dossier = upward.send()
    assert dossier.status == DossierStatus.SUBMITTED
    version = DossierVersion.objects.get(dossier=dossier)
    assert version.number == 1 and dossier.current_id == version.pk
    items = list(DossierItem.objects.filter(version=version))
    assert len(items) == len(services.proposals(upward.campaign)) >= 2
    assert all(item.achievements for item in items)
    labels = [paper["symbol"] for paper in version.papers if paper["paper"]]
    assert labels == ["01/QĐ-CĐM", "01/TTr-CĐM"]
    assert any(paper["kind"] == "council" for paper in version.papers)
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.action, event.by, event.by_name, event.organisation_id) == (
        DossierAction.SUBMITTED,
        upward.users["leadership"],
        "Phùng Quý Sơn",
        upward.council.cycle.world.school.pk,
    )
    # The Sở's officers are told (leadership and clerk), not its plain member.
    assert _told(upward.users["officer"], "gửi hồ sơ đề nghị khen thưởng")
    assert _told(upward.users["sgd_clerk"], "gửi hồ sơ đề nghị khen thưởng")
    assert not Notification.objects.filter(user=upward.users["sgd_member"]).exists()


def test_a_dossier_goes_once_to_a_body_that_directs_the_school(upward: Upward) -> None:
    stranger = Organisation.objects.create(name="Sở GD&ĐT Khác", kind="department")
    with pytest.raises(EmulationError, match="chỉ đạo trường"):
        services.submit_dossier(
            upward.campaign, stranger, keys=["x"], by=upward.users["leadership"]
        )
    with pytest.raises(EmulationError, match="có trong tờ trình"):
        services.submit_dossier(
            upward.campaign, upward.sgd, keys=["bang_khen:0"], by=upward.users["leadership"]
        )
    with pytest.raises(EmulationError, match="ít nhất một"):
        services.submit_dossier(upward.campaign, upward.sgd, keys=[], by=upward.users["leadership"])
    upward.send()
    with pytest.raises(EmulationError, match="đã được gửi"):
        upward.send()


def test_returned_then_resent_as_a_new_version_the_old_one_kept(upward: Upward) -> None:
    dossier = upward.send()
    first = dossier.current
    with pytest.raises(EmulationError, match="lý do"):
        services.return_dossier(dossier, reason="  ", by=upward.users["sgd_clerk"])
    services.return_dossier(
        dossier, reason="Bổ sung minh chứng sáng kiến", by=upward.users["sgd_clerk"]
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    assert _told(upward.users["leadership"], "trả lại hồ sơ")
    assert Notification.objects.filter(
        user=upward.users["leadership"], body__contains="Bổ sung minh chứng sáng kiến"
    ).exists()
    with pytest.raises(EmulationError, match="Trả lại"):
        services.accept_dossier(dossier, by=upward.users["sgd_clerk"])
    bang_khen = next(p for p in services.proposals(upward.campaign) if p.kind == "bang_khen")
    services.resubmit_dossier(
        dossier,
        keys=[bang_khen.key],
        achievements={bang_khen.key: "Sáng kiến cấp trường 2023–2024, có quyết định công nhận."},
        letter="Đã bổ sung.",
        by=upward.users["leadership"],
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.current.number == 2
    assert DossierItem.objects.filter(version=first).count() >= 2  # version 1 unchanged
    (item,) = DossierItem.objects.filter(version=dossier.current)
    assert item.achievements.startswith("Sáng kiến cấp trường")
    actions = list(
        DossierEvent.objects.filter(dossier=dossier).values_list(
            "action", "version_number", "reason"
        )
    )
    assert actions == [
        (DossierAction.SUBMITTED, 1, ""),
        (DossierAction.RETURNED, 1, "Bổ sung minh chứng sáng kiến"),
        (DossierAction.RESUBMITTED, 2, ""),
    ]
    assert _told(upward.users["officer"], "gửi lại hồ sơ")


def test_accepted_then_decided_the_titles_flow_back_to_the_school(upward: Upward) -> None:
    dossier = upward.send()
    with pytest.raises(EmulationError, match="Đã gửi"):
        services.decide_dossier(
            dossier, symbol="1", on=DECIDED_ON, issuer="", outcomes={}, by=upward.users["officer"]
        )
    services.accept_dossier(dossier, by=upward.users["sgd_clerk"])
    assert _told(upward.users["leadership"], "đã tiếp nhận")
    items = list(DossierItem.objects.filter(version=dossier.current).order_by("order"))
    bang_khen = next(item for item in items if item.kind == "bang_khen")
    faculty = next(item for item in items if item.kind == "ttldxs")
    outcomes = {item.pk: (True, "") for item in items}
    upward.council.cycle.clock.set(DECIDED_ON)
    with pytest.raises(EmulationError, match="còn thiếu"):
        services.decide_dossier(
            dossier,
            symbol="1642/QĐ-UBND",
            on=DECIDED_ON,
            issuer="",
            outcomes={bang_khen.pk: (True, "")},
            by=upward.users["officer"],
        )
    with pytest.raises(EmulationError, match="trước ngày tờ trình"):
        services.decide_dossier(
            dossier,
            symbol="1642/QĐ-UBND",
            on=dt.date(2024, 6, 1),
            issuer="",
            outcomes=outcomes,
            by=upward.users["officer"],
        )
    outcomes[faculty.pk] = (False, "Chưa đủ thời gian công nhận TTLĐTT liên tục")
    services.decide_dossier(
        dossier,
        symbol="1642/QĐ-UBND",
        on=DECIDED_ON,
        issuer="Chủ tịch UBND tỉnh",
        outcomes=outcomes,
        by=upward.users["officer"],
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DECIDED
    assert (
        dossier.decision_text == "Quyết định số 1642/QĐ-UBND ngày 20/08/2024 (Chủ tịch UBND tỉnh)"
    )
    staff = upward.council.people["staff"]
    row = TitleHistory.objects.get(person=staff, start_year=2023, archived_at=None)
    assert "Bằng khen của Bộ trưởng" in row.titles
    assert row.source == TitleSource.DECIDED and row.decision == "01/QĐ-CĐM"
    assert "1642/QĐ-UBND" in row.higher_decision
    unit_row = TitleHistory.objects.filter(
        unit=upward.council.cycle.world.faculty, person=None, start_year=2023, archived_at=None
    ).first()
    assert unit_row is None or "TTLĐXS" not in unit_row.titles
    faculty.refresh_from_db()
    assert faculty.awarded is False and faculty.outcome_note.startswith("Chưa đủ")
    assert _told(upward.users["leadership"], "Kết quả hồ sơ")
    assert _told(upward.users["staff"], "Bạn được tặng Bằng khen của Bộ trưởng")
    # Decided once.
    with pytest.raises(EmulationError, match="Đã có quyết định"):
        services.return_dossier(dossier, reason="x", by=upward.users["officer"])


def test_a_dossier_is_kept_in_history(upward: Upward) -> None:
    dossier = upward.send()
    services.accept_dossier(dossier, by=upward.users["sgd_clerk"])
    statuses = list(dossier.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == [DossierStatus.SUBMITTED, DossierStatus.SUBMITTED, DossierStatus.ACCEPTED]
