"""The dossiers' and the Sở's campaigns' pages for each role: the Sở's officer and clerk act, a
plain member of the Sở reads, the school's leadership sends and resends, its staff see none of it,
another school finds nothing; anonymous → login; no 500 on bad input; the Sở's list costs the
same number of queries with one dossier or several."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from django.urls import reverse
from django.utils import timezone

from conftest import close_response
from emulation.models import (
    Campaign,
    DossierItem,
    DossierStatus,
    DossierVersion,
    ProvinceCampaign,
    Registration,
    UpwardDossier,
)
from emulation.services import province_campaigns as campaign_services
from emulation.services import upward as services
from emulation.tests.upward_helpers import Upward
from organisations.models import Organisation
from province.models import Audience, DirectedSchool, SchoolLevel

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
ROLES = [
    "anonymous",
    "officer",
    "sgd_clerk",
    "sgd_member",
    "leadership",
    "clerk",
    "staff",
    "outsider",
]


def _statuses(upward: Upward, method: str, address: str, data: Any = None) -> dict[str, int]:
    found = {}
    for role in ROLES:
        client = upward.client(role)
        response = client.post(address, data or {}) if method == "post" else client.get(address)
        found[role] = response.status_code
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
    return found


def _expect(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


def test_the_dossier_pages_for_each_role(upward: Upward) -> None:
    dossier = upward.send()
    detail = reverse("emulation:dossier", args=[dossier.pk])
    assert _statuses(upward, "get", detail) == _expect(
        LOGIN, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND
    )
    listing = reverse("emulation:dossiers")
    assert _statuses(upward, "get", listing) == _expect(LOGIN, OK, OK, OK, OK, OK, FORBIDDEN, OK)
    outsider_page = upward.client("outsider").get(listing).content.decode()
    assert f'data-dossier="{dossier.pk}"' not in outsider_page
    sgd_page = upward.client("sgd_member").get(listing).content.decode()
    assert f'data-dossier="{dossier.pk}"' in sgd_page and "Trường Cao đẳng Mẫu" in sgd_page
    assert _statuses(upward, "get", reverse("emulation:dossiers_xlsx")) == _expect(
        LOGIN, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN
    )
    # Sending: the school's leadership; the Sở never sees the school's campaign.
    submit = reverse("emulation:dossier_submit", args=[upward.campaign.pk])
    assert _statuses(upward, "get", submit) == _expect(
        LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, FORBIDDEN, FORBIDDEN, NOT_FOUND
    )
    # The plain member reads; the school cannot answer its own dossier.
    accept = reverse("emulation:dossier_accept", args=[dossier.pk])
    for role, expected in (
        ("sgd_member", FORBIDDEN),
        ("leadership", FORBIDDEN),
        ("staff", NOT_FOUND),
        ("outsider", NOT_FOUND),
    ):
        assert upward.client(role).post(accept).status_code == expected, role
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    page = upward.client("officer").get(detail).content.decode()
    assert 'id="accept"' in page and 'id="return-form"' in page
    assert 'id="accept"' not in upward.client("sgd_member").get(detail).content.decode()


def test_the_sở_returns_the_school_resends_the_sở_decides_through_the_pages(
    upward: Upward,
) -> None:
    dossier = upward.send()
    detail = reverse("emulation:dossier", args=[dossier.pk])
    officer = upward.client("sgd_clerk")
    response = officer.post(
        reverse("emulation:dossier_return", args=[dossier.pk]), {"return-reason": ""}
    )
    assert response.status_code == LOGIN
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED  # no reason, not returned
    officer.post(
        reverse("emulation:dossier_return", args=[dossier.pk]),
        {"return-reason": "Thiếu minh chứng sáng kiến"},
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    resubmit = reverse("emulation:dossier_resubmit", args=[dossier.pk])
    assert upward.client("officer").get(resubmit).status_code == FORBIDDEN
    assert upward.client("staff").get(resubmit).status_code == NOT_FOUND
    school = upward.client("leadership")
    page = school.get(detail).content.decode()
    assert "Thiếu minh chứng sáng kiến" in page and 'id="resubmit"' in page
    form = school.get(resubmit)
    assert form.status_code == OK
    keys = [p.key for p in services.proposals(upward.campaign)]
    data = {"keys": keys, "letter": "Đã bổ sung minh chứng."}
    for index in range(len(keys)):
        data[f"achievements_{index}"] = f"Thành tích bổ sung {index}"
    response = school.post(resubmit, data)
    assert response.status_code == LOGIN, response.content.decode()[:2000]
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.current.number == 2
    officer.post(reverse("emulation:dossier_accept", args=[dossier.pk]))
    items = list(DossierItem.objects.filter(version=dossier.current))
    upward.council.cycle.clock.set(dt.date(2024, 8, 20))
    decide = {
        "decide-symbol": "1642/QĐ-UBND",
        "decide-decided_on": "20/08/2024",
        "decide-issuer": "Chủ tịch UBND tỉnh",
    }
    for item in items:
        decide[f"decide-outcome_{item.pk}"] = "awarded"
        decide[f"decide-note_{item.pk}"] = ""
    assert (
        upward.client("sgd_member")
        .post(reverse("emulation:dossier_decide", args=[dossier.pk]), decide)
        .status_code
        == FORBIDDEN
    )
    officer.post(reverse("emulation:dossier_decide", args=[dossier.pk]), decide)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DECIDED
    page = school.get(detail).content.decode()
    assert "1642/QĐ-UBND" in page and page.count('data-action="') == 5
    assert 'id="older-versions"' in page and "Thành tích bổ sung 0" in page
    # The enclosed papers, to the Sở; a paper not enclosed is not found.
    version = DossierVersion.objects.get(dossier=dossier, number=2)
    paper_id = next(p["paper"] for p in version.papers if p["paper"])
    response = upward.client("sgd_member").get(
        reverse("emulation:dossier_paper", args=[dossier.pk, paper_id])
    )
    assert response.status_code == OK
    close_response(response)
    assert (
        upward.client("sgd_member")
        .get(reverse("emulation:dossier_paper", args=[dossier.pk, paper_id + 1000]))
        .status_code
        == NOT_FOUND
    )
    sheet = upward.client("officer").get(reverse("emulation:dossiers_xlsx") + "?status=decided")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
    )
    assert len(rows) == 1 + len(items)
    assert rows[1][1] == "Trường Cao đẳng Mẫu" and rows[1][10] == "Được khen thưởng"


def _another(upward: Upward, n: int) -> UpwardDossier:
    """A dossier of another school the Sở directs, written directly (the list reads rows)."""
    school = Organisation.objects.create(name=f"Trường Thêm {n}", kind="school", code=f"them-{n}")
    DirectedSchool.objects.create(body=upward.sgd, school=school, level=SchoolLevel.COLLEGE)
    campaign = Campaign.objects.create(
        school=school,
        start_year=2023,
        name=f"Phong trào {n}",
        period_start=dt.date(2023, 9, 1),
        period_end=dt.date(2024, 5, 31),
        registration_opens=dt.date(2023, 9, 15),
        registration_closes=dt.date(2023, 10, 15),
        self_assessment_opens=dt.date(2024, 5, 1),
        self_assessment_closes=dt.date(2024, 5, 15),
    )
    dossier = UpwardDossier.objects.create(
        school=school, body=upward.sgd, campaign=campaign, start_year=2023, status="submitted"
    )
    version = DossierVersion.objects.create(
        dossier=dossier, number=1, submitted_at=timezone.now(), submitted_by=upward.users["officer"]
    )
    DossierItem.objects.create(
        version=version, kind="ttldxs", title="TTLĐXS", title_value="TTLĐXS", unit=school,
        unit_name=school.name,
    )  # fmt: skip
    dossier.current = version
    dossier.save()
    return dossier


def test_the_sở_list_costs_the_same_with_more_dossiers_and_bad_filters_are_ignored(
    upward: Upward, django_assert_max_num_queries: Any
) -> None:
    upward.send()
    client = upward.client("officer")
    listing = reverse("emulation:dossiers")
    client.get(listing)
    with django_assert_max_num_queries(30) as first:
        assert client.get(listing).status_code == OK
    for n in range(4):
        _another(upward, n)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(listing).content.decode()
    assert page.count('data-dossier="') == 5
    for query in (
        "?year=abc&status=<script>&school=-1&campaign=99999999999999999999",
        "?year=2023&status=submitted",
        "?school=\x00&campaign=%00",
        "?year=99999999999999999999999",
    ):
        assert client.get(listing + query).status_code == OK, query
        assert client.get(reverse("emulation:dossiers_xlsx") + query).status_code == OK, query
    filtered = client.get(listing + "?status=returned").content.decode()
    assert 'data-dossier="' not in filtered


def test_the_sở_campaign_pages_for_each_role(upward: Upward) -> None:
    upward.council.cycle.clock.set(dt.date(2024, 10, 9))
    create = reverse("emulation:province_campaign_create")
    assert _statuses(upward, "get", create) == _expect(
        LOGIN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN
    )
    response = upward.client("sgd_clerk").post(
        create,
        {
            "name": "Phong trào thi đua “Đổi mới, sáng tạo trong dạy và học” năm học 2024–2025",
            "start_year": "2024",
            "targets": "100% trường đăng ký thi đua\n70% giảng viên đạt LĐTT",
            "titles": ["LĐTT", "CSTĐ cấp tỉnh"],
            "launched_on": "09/10/2024",
            "audience": Audience.LEVEL,
            "level": SchoolLevel.COLLEGE,
        },
    )
    assert response.status_code == LOGIN, response.context["form"].errors
    campaign = ProvinceCampaign.objects.get()
    detail = reverse("emulation:province_campaign", args=[campaign.pk])
    assert _statuses(upward, "get", detail) == _expect(LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND)
    assert _statuses(upward, "get", reverse("emulation:province_campaigns")) == _expect(
        LOGIN, OK, OK, OK, OK, OK, OK, OK
    )
    assert "Đổi mới, sáng tạo" not in (
        upward.client("outsider").get(reverse("emulation:province_campaigns")).content.decode()
    )
    take_up = reverse("emulation:province_campaign_take_up", args=[campaign.pk])
    for role, expected in (("staff", FORBIDDEN), ("officer", FORBIDDEN), ("outsider", NOT_FOUND)):
        assert upward.client(role).post(take_up).status_code == expected, role
    response = upward.client("leadership").post(take_up)
    own = Campaign.objects.get(province_campaign=campaign)
    assert response["Location"] == reverse("emulation:campaign", args=[own.pk])
    assert own.received_from == upward.sgd and own.start_year == 2024
    assert own.status == "draft" and "70% giảng viên" in own.criteria
    page = upward.client("officer").get(detail).content.decode()
    assert "1/1 trường hưởng ứng" in page
    send = reverse("emulation:province_campaign_send", args=[campaign.pk])
    assert upward.client("sgd_member").post(send, {"send-audience": "all"}).status_code == FORBIDDEN
    upward.client("officer").post(send, {"send-audience": "all"})
    assert campaign.recipients.count() == 2
    assert upward.client("outsider").get(detail).status_code == OK
    for query in ("?x=\x00", "?show=<script>"):
        assert upward.client("officer").get(detail + query).status_code == OK


def test_a_school_with_its_own_campaign_links_it_and_the_sở_counts_registrations(
    upward: Upward,
) -> None:
    campaign = ProvinceCampaign(
        body=upward.sgd,
        start_year=2023,
        name="Phong trào thi đua năm học 2023–2024 của ngành",
        targets="Mọi trường đăng ký thi đua",
        launched_on=dt.date(2023, 9, 20),
    )
    campaign_services.launch_province_campaign(campaign, Audience.ALL, by=upward.users["officer"])
    own = campaign_services.take_up(
        campaign, upward.council.cycle.world.school, by=upward.users["leadership"]
    )
    assert own.pk == upward.campaign.pk  # linked, not a second campaign of the year
    world = upward.council.cycle.world
    for person, unit, titles in (
        (world.people["staff"], world.group, ["LĐTT", "CSTĐCS"]),
        (world.people["clerk"], world.office, ["LĐTT"]),
        (None, world.faculty, ["TTLĐXS"]),
    ):
        Registration.objects.create(
            campaign=own, person=person, unit=unit, titles=titles,
            registered_by=upward.users["leadership"],
        )  # fmt: skip
    (answer, other) = sorted(
        campaign_services.answers(campaign), key=lambda a: a.school.pk != own.school_id
    )
    assert (answer.campaign, answer.people, answer.units) == (own, 2, 1)
    assert answer.title_counts == [("CSTĐCS", 1), ("LĐTT", 2), ("TTLĐXS", 1)]
    assert other.campaign is None and other.people == 0


def test_a_school_no_sở_directs_is_told_and_sends_nothing(upward: Upward) -> None:
    """A school with its tờ trình issued but on no Sở's list: the page says why, and a form
    posted anyway is refused by the form (it answered 500)."""
    DirectedSchool.objects.filter(school=upward.campaign.school).delete()
    submit = reverse("emulation:dossier_submit", args=[upward.campaign.pk])
    client = upward.client("leadership")
    assert "Chưa gửi được" in client.get(submit).content.decode()
    keys = [proposal.key for proposal in services.proposals(upward.campaign)]
    response = client.post(submit, {"keys": keys, "body": upward.sgd.pk})
    assert response.status_code == 400  # the form's refusal, shown on the page
    assert not UpwardDossier.objects.filter(campaign=upward.campaign).exists()
