"""The demo between the school and the Sở GD&ĐT Lạng Sơn (emulation/demo_upward.py): the sector's
campaign the school answers with its own, and the dossier of Hà Văn Long's CSTĐ cấp tỉnh and
Bằng khen sent on 14/6/2024, returned once with its reason, sent again, accepted and decided,
the awarded title in his 2023–2024 titles; each side finds it from its pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo.loader import DEMO_PASSWORD
from emulation.models import (
    Campaign,
    DossierAction,
    DossierEvent,
    DossierItem,
    DossierStatus,
    ProvinceCampaign,
    TitleHistory,
    TitleSource,
    UpwardDossier,
)
from notifications.models import Notification, NotificationKind
from planning.models import Plan

VIETNAM = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def demo(demo_plan: Plan, db: None) -> Plan:
    return demo_plan


def _client(username: str) -> Client:
    client = Client()
    client.force_login(authenticate(HttpRequest(), username=username, password=DEMO_PASSWORD))
    return client


def test_the_sector_campaign_reached_every_school_and_the_demo_school_answered(demo: Plan) -> None:
    sector = ProvinceCampaign.objects.get()
    assert sector.body.short_name == "Sở GD&ĐT Lạng Sơn" and sector.launched_on == dt.date(
        2023, 9, 15
    )
    assert sector.recipients.count() == 3
    own = Campaign.objects.get(school=demo.school)
    assert own.province_campaign == sector and own.received_from is None
    page = _client("sogddt").get(reverse("emulation:province_campaign", args=[sector.pk]))
    assert "1/3 trường hưởng ứng" in page.content.decode()


def test_the_dossier_went_up_was_returned_once_sent_again_and_decided(demo: Plan) -> None:
    dossier = UpwardDossier.objects.select_related("current", "body").get()
    assert (
        dossier.status == DossierStatus.DECIDED and dossier.body.short_name == "Sở GD&ĐT Lạng Sơn"
    )
    assert dossier.current.number == 2 and dossier.versions.count() == 2
    trail = [
        (event.action, event.version_number, timezone.localtime(event.at, VIETNAM).date())
        for event in DossierEvent.objects.filter(dossier=dossier).order_by("at", "pk")
    ]
    assert trail == [
        (DossierAction.SUBMITTED, 1, dt.date(2024, 6, 14)),
        (DossierAction.RETURNED, 1, dt.date(2024, 6, 21)),
        (DossierAction.RESUBMITTED, 2, dt.date(2024, 6, 26)),
        (DossierAction.ACCEPTED, 2, dt.date(2024, 6, 28)),
        (DossierAction.DECIDED, 2, dt.date(2024, 8, 15)),
    ]
    returned = DossierEvent.objects.get(dossier=dossier, action=DossierAction.RETURNED)
    assert returned.by.username == "sogddt" and "456/QĐ-SGDĐT" not in returned.reason
    items = {item.kind: item for item in DossierItem.objects.filter(version=dossier.current)}
    assert set(items) == {"cstd_higher", "bang_khen"}
    assert {item.name for item in items.values()} == {"Hà Văn Long"}
    assert "456/QĐ-SGDĐT" in items["cstd_higher"].achievements
    assert (items["cstd_higher"].awarded, items["bang_khen"].awarded) == (True, False)
    first = DossierItem.objects.filter(version__dossier=dossier, version__number=1)
    assert all("456/QĐ-SGDĐT" not in item.achievements for item in first)
    papers = [paper["symbol"] for paper in dossier.current.papers if paper["paper"]]
    assert papers == ["01/QĐ-CĐSPLS", "01/TTr-CĐSPLS"]


def test_the_title_came_back_to_the_school_and_both_sides_were_told(demo: Plan) -> None:
    row = TitleHistory.objects.get(person__full_name="Hà Văn Long", start_year=2023)
    assert "CSTĐ cấp tỉnh" in row.titles and "Bằng khen của Bộ trưởng" not in row.titles
    assert row.source == TitleSource.DECIDED and row.decision == "01/QĐ-CĐSPLS"
    assert row.higher_decision.startswith("Quyết định số 1520/QĐ-UBND ngày 15/08/2024")
    principal = authenticate(HttpRequest(), username="phungquyson", password=DEMO_PASSWORD)
    told = set(
        Notification.objects.filter(
            user=principal, kind=NotificationKind.EMULATION_DECISION
        ).values_list("title", flat=True)
    )
    assert any("trả lại hồ sơ" in title for title in told)
    assert any("Kết quả hồ sơ" in title for title in told)
    assert Notification.objects.filter(
        user__username="sogddt", title__contains="gửi lại hồ sơ"
    ).exists()


def test_each_side_finds_the_dossier_from_its_pages(demo: Plan) -> None:
    dossier = UpwardDossier.objects.get()
    sgd = _client("sogddt")
    assert sgd.get(reverse("emulation:home"))["Location"] == reverse("emulation:province_campaigns")
    listing = sgd.get(reverse("emulation:dossiers")).content.decode()
    assert f'data-dossier="{dossier.pk}"' in listing and "1520/QĐ-UBND" in listing
    school = _client("phungquyson")
    campaign = Campaign.objects.get(school=dossier.school)
    decision = school.get(reverse("emulation:decision", args=[campaign.pk])).content.decode()
    assert reverse("emulation:dossier", args=[dossier.pk]) in decision
    page = school.get(reverse("emulation:dossier", args=[dossier.pk])).content.decode()
    assert "Lần gửi 2" in page and 'id="older-versions"' in page and "Được khen thưởng" in page
    # A lecturer of the school sees no dossier; the titles page shows the title.
    lecturer = _client("langthihuyen")
    assert lecturer.get(reverse("emulation:dossier", args=[dossier.pk])).status_code == 404
    titles = lecturer.get(reverse("emulation:titles")).content.decode()
    assert "Cấp trên: Quyết định số 1520/QĐ-UBND" in titles
