"""The scope of a request sees a dossier in the school that sent it and in the body it was sent to,
with its versions, items and trail; another school sees none of it. A Sở's campaign is seen by the
Sở and the schools it was sent to. Outside any scope, a query refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import ScopeError, scope

from conftest import World
from emulation.models import (
    Campaign,
    DossierEvent,
    DossierItem,
    DossierVersion,
    ProvinceCampaign,
    ProvinceCampaignRecipient,
    UpwardDossier,
)
from organisations.models import Organisation

MODELS = [UpwardDossier, DossierVersion, DossierItem, DossierEvent]


@pytest.fixture
def rows(world: World) -> tuple[Organisation, UpwardDossier, ProvinceCampaign]:
    sgd = Organisation.objects.create(name="Sở GD&ĐT Mẫu", kind="department")
    by = world.users["leadership"]
    campaign = Campaign.objects.create(
        school=world.school, start_year=2023, name="Phong trào 2023–2024",
        period_start=dt.date(2023, 9, 1), period_end=dt.date(2024, 5, 31),
        registration_opens=dt.date(2023, 9, 15), registration_closes=dt.date(2023, 10, 15),
        self_assessment_opens=dt.date(2024, 5, 1), self_assessment_closes=dt.date(2024, 5, 15),
    )  # fmt: skip
    dossier = UpwardDossier.objects.create(
        school=world.school, body=sgd, campaign=campaign, start_year=2023, status="submitted"
    )
    version = DossierVersion.objects.create(
        dossier=dossier, number=1, submitted_at=timezone.now(), submitted_by=by
    )
    DossierItem.objects.create(
        version=version, kind="ttldxs", title="TTLĐXS", title_value="TTLĐXS",
        unit=world.faculty, unit_name=world.faculty.name,
    )  # fmt: skip
    DossierEvent.objects.create(
        dossier=dossier, action="submitted", version_number=1, at=timezone.now(), by=by,
        organisation=world.school,
    )  # fmt: skip
    sector = ProvinceCampaign.objects.create(
        body=sgd, start_year=2023, name="Phong trào của ngành", targets="Một chỉ tiêu",
        launched_on=dt.date(2023, 9, 15), launched_by=by,
    )  # fmt: skip
    ProvinceCampaignRecipient.objects.create(
        campaign=sector, school=world.school, sent_at=timezone.now(), sent_by=by
    )
    return sgd, dossier, sector


def test_each_scope_sees_what_is_its_own_or_sent_to_it(
    world: World, rows: tuple[Organisation, UpwardDossier, ProvinceCampaign]
) -> None:
    sgd, _dossier, sector = rows
    for organisation, sees in ((world.school, True), (sgd, True), (world.other_school, False)):
        with scope(school=organisation.pk):
            for model in MODELS:
                assert model.objects.exists() is sees, (model.__name__, organisation)
            assert ProvinceCampaign.objects.filter(pk=sector.pk).exists() is sees
            assert ProvinceCampaignRecipient.objects.exists() is sees
    for model in [*MODELS, ProvinceCampaign]:
        with pytest.raises(ScopeError), scope():
            list(model.objects.all())
