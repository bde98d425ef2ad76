"""The province load benchmark's dataset on a tiny scale (PostgreSQL: it is written with COPY)."""

from __future__ import annotations

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from bench import tracking_bench
from bench.province_load_bench import SO_OFFICERS, accounts, add_department
from organisations.models import Organisation, Position
from planning.models import Task
from province.models import DirectedSchool
from tracking.models import CheckIn

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY: run under scripts/with-postgres.sh"
)


@pytest.mark.django_db(transaction=True)
def test_the_province_and_its_accounts() -> None:
    with scopes_disabled():
        facts = tracking_bench.generate(3, 24, 2, 16, label="bench")
        assert add_department() == SO_OFFICERS
        assert (facts["tasks"], facts["checkins"], facts["users"]) == (72, 144, 48)
        assert Task.objects.count() == 72 and CheckIn.objects.count() == 144
        so = Organisation.objects.get(kind="department")
        assert DirectedSchool.objects.filter(body=so).count() == 3
        assert Position.objects.filter(person__school=so).count() == SO_OFFICERS
        chosen = accounts()
    # Every mix account heads the lead unit of its tasks, all open, in its plan.
    assert chosen["mix"] and chosen["floor"]
    with scopes_disabled():
        for account in chosen["mix"]:
            position = Position.objects.get(person__user__username=account["username"], role="head")
            assert position.organisation_id == account["unit"]
            tasks = Task.objects.filter(pk__in=account["tasks"])
            assert {t.lead_unit_id for t in tasks} == {account["unit"]}
            assert {t.plan_id for t in tasks} == {account["plan"]}
            assert all(t.completed_on is None for t in tasks)
    usernames = [a["username"] for a in chosen["mix"] + chosen["floor"]]
    assert len(usernames) == len(set(usernames))
