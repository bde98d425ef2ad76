"""No emulation page answers 500 to what anyone may type or send: wrong ids, words where numbers
go, impossible dates, unknown titles and levels, a stale form, a file that is not a workbook.
Refusals are in Vietnamese and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from emulation.models import Campaign, CampaignUnit, Evaluation, Registration
from emulation.services import evaluations as evaluation_services
from emulation.services import registrations as registration_services
from emulation.tests.conftest import ASSESSMENT_DAY, Cycle

NASTY = [
    "abc",
    "1e5",
    "-1",
    "0",
    "2023-02-31",
    "99999999999999999999999",
    "1\x00",
    "²",
    "' OR 1=1 --",
]


def url(name: str, *args: object) -> str:
    return reverse(f"emulation:{name}", args=args)


@pytest.fixture
def ready(cycle: Cycle) -> Cycle:
    registration_services.register(
        cycle.campaign, titles=["LĐTT"], commitments="", by=cycle.users["staff"]
    )
    cycle.clock.set(ASSESSMENT_DAY)
    evaluation_services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    return cycle


@pytest.mark.parametrize("value", NASTY)
def test_query_strings(ready: Cycle, value: str) -> None:
    client = ready.client("leadership")
    pk = ready.campaign.pk
    for address in (
        url("home"),
        url("campaign_create") + "?launch=",
        url("campaign", pk),
        url("initiatives") + "?q={v}&year={v}&scope={v}&page={v}",
        url("titles") + "?q={v}&year={v}&page={v}",
        url("facts", pk) + "?q={v}&page={v}",
        url("titles_import") + "?resume={v}",
    ):
        response = client.get(
            address.replace("{v}", value) + ("" if "?" in address else f"?launch={value}")
        )
        assert response.status_code == 200, (address, value)


def test_ids_that_do_not_exist_or_belong_elsewhere(ready: Cycle) -> None:
    client = ready.client("leadership")
    pk = ready.campaign.pk
    evaluation = Evaluation.objects.get(person=ready.people["staff"]).pk
    other_unit = ready.world.other_school.pk
    for address, status in (
        (url("campaign", 999999), 404),
        ("/emulation/99999999999999999999999/", 404),
        (url("unit_registrations", pk, 999999), 404),
        (url("unit_registrations", pk, other_unit), 404),
        (
            url("unit_registrations", pk, ready.world.group.pk),
            404,
        ),  # not a unit right under the school
        (url("evaluation", 999999), 404),
        (url("registration_return", 999999), 404),
        (url("initiative_edit", 999999), 404),
        (url("evaluation", evaluation).replace(str(evaluation), "99999999999999999999"), 404),
    ):
        assert client.get(address).status_code == status, address
    response = client.post(url("evaluation_review", evaluation, "vice-rector"), {})
    assert response.status_code == 404


def test_forms_refuse_in_vietnamese(ready: Cycle) -> None:
    campaign = ready.campaign
    leader = ready.client("leadership")
    ready.clock.set(campaign.registration_opens)
    staff = ready.client("staff")
    mine = Registration.objects.get()
    response = staff.post(
        url("register", campaign.pk),
        {"titles": ["Bằng khen"], "commitments": "x", "version": mine.version},
    )
    assert (
        response.status_code == 400
        and "không phải là một trong các lựa chọn" in response.content.decode()
    )
    response = staff.post(
        url("register", campaign.pk), {"titles": ["LĐTT"], "commitments": "x", "version": "abc"}
    )
    assert response.status_code == 400 and "phiên bản" in response.content.decode()
    ready.clock.set(ASSESSMENT_DAY)
    edit = {
        "name": "x", "start_year": "20x3", "titles": ["LĐTT"], "period_start": "31/02/2024",
        "period_end": "01/13/2024", "registration_opens": "abc", "registration_closes": "",
        "self_assessment_opens": "1\x00", "self_assessment_closes": "99999-01-01",
        "version": campaign.version,
    }  # fmt: skip
    response = leader.post(url("campaign_edit", campaign.pk), edit)
    assert response.status_code == 400
    assert Campaign.objects.get().name != "x"
    evaluation = Evaluation.objects.get(person=ready.people["clerk"])
    for data in (
        {"unit-level": "XUẤT SẮC", "unit-comment": "x", "unit-version": evaluation.version},
        {"unit-level": "HTT", "unit-comment": "", "unit-version": evaluation.version},
        {"unit-level": "HTT", "unit-comment": "x", "unit-version": "-1"},
        {},
    ):
        response = ready.client("unit_head").post(
            url("evaluation_review", evaluation.pk, "unit"), data, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 400, data
        response = ready.client("unit_head").post(
            url("evaluation_review", evaluation.pk, "unit"), data
        )
        assert response.status_code == 302
    assert Evaluation.objects.get(pk=evaluation.pk).unit_level is None
    facts = {
        "months_worked": "mười hai",
        "discipline": "phạt tiền",
        "task_group": "",
        "version": evaluation.version,
    }
    response = leader.post(url("evaluation_facts", evaluation.pk), facts)
    assert response.status_code == 400
    response = ready.client("unit_head").post(
        url("unit_review", campaign.pk, ready.world.office.pk),
        {"meeting_on": "32/05/2024", "minutes": ""},
    )
    assert (
        response.status_code == 400
        and not CampaignUnit.objects.filter(review_minutes__gt="").exists()
    )
    ranks = {
        f"rank-{evaluation.pk}": "abc",
        "rank-abc": "1",
        "rank-99999999999999999999": "2",
        f"rank-{evaluation.pk}x": "1",
    }
    assert leader.post(url("classification", campaign.pk), ranks).status_code == 302
    assert Evaluation.objects.get(pk=evaluation.pk).council_rank is None
    response = leader.post(
        url("council", campaign.pk), {"person": "abc", "role": "king", "title": "x"}
    )
    assert response.status_code == 400


def test_a_file_that_is_not_a_workbook(ready: Cycle) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = ready.client("clerk")
    for content in (b"", b"not a workbook", b"PK\x03\x04 broken zip"):
        upload = SimpleUploadedFile("danh-hieu.xlsx", content)
        response = client.post(url("titles_import"), {"file": upload})
        assert response.status_code == 400
        assert 'id="import-error"' in response.content.decode()
    response = client.post(url("titles_import"), {"token": "abc"})
    assert response.status_code == 400
