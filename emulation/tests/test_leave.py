"""NĐ 90/2020 Art. 2 cl. 3 on the facts page and in the preview: the leadership or the clerk
records months of leave and maternity leave with the months worked; under 6 months on maternity
leave is classified on the time actually worked, 3 months of leave or more caps the level at
HT, each with its reason. Bad input is refused in Vietnamese, never a 500; a colleague, the
Sở's officer and another school may not record them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from emulation.engine import Level
from emulation.models import Evaluation, RuleSet
from emulation.services import classification
from emulation.services import evaluations as evaluation_services
from emulation.services.common import EmulationError
from emulation.tests.conftest import ASSESSMENT_DAY, Cycle

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"emulation:{name}", args=args)


@pytest.fixture
def proposed(cycle: Cycle) -> Cycle:
    """Everyone evaluated, the staff member and the colleague proposed HTT."""
    cycle.clock.set(ASSESSMENT_DAY)
    evaluation_services.prepare_evaluations(cycle.campaign, by=cycle.users["leadership"])
    Evaluation.objects.filter(campaign=cycle.campaign).update(
        self_level="HTT", unit_level="HTT", proposed_level="HTT", stage="unit_reviewed"
    )
    return cycle


def evaluation_of(cycle: Cycle, key: str) -> Evaluation:
    return Evaluation.objects.get(campaign=cycle.campaign, person=cycle.people[key])


def facts(evaluation: Evaluation, **values: Any) -> dict[str, Any]:
    return {
        "months_worked": "12",
        "leave_months": "0",
        "discipline": "",
        "task_group": evaluation.task_group,
        "reason": "",
        "version": str(evaluation.version),
        **values,
    }


def preview_row(cycle: Cycle, key: str) -> classification.Row:
    result = classification.preview(cycle.fresh())
    return next(row for row in result.rows if row.evaluation.person_id == cycle.people[key].pk)


def test_the_national_rule_sets_carry_the_leave_rules_with_their_source() -> None:
    for rule_set in RuleSet.objects.filter(school__isnull=True):
        assert (rule_set.leave_cap_months, rule_set.leave_cap_level) == (3, "HT")
        assert rule_set.maternity_classified
        assert "Điều 2 khoản 3" in rule_set.source
        assert "nghỉ chế độ thai sản" in rule_set.source
        rules = rule_set.as_rules()
        assert (rules.leave_cap_months, rules.leave_cap_level) == (Decimal(3), Level.HT)
    first = RuleSet.objects.get(school__isnull=True, valid_from="2024-01-01")
    assert "leave_cap_months = 3, leave_cap_level = HT" in first.notes


def test_maternity_leave_recorded_on_the_page_is_classified_on_the_time_worked(
    proposed: Cycle,
) -> None:
    cycle = proposed
    staff = evaluation_of(cycle, "staff")
    clerk = cycle.client("clerk")
    page = clerk.get(url("evaluation_facts", staff.pk)).content.decode()
    assert 'name="leave_months"' in page and 'name="maternity_leave"' in page
    assert "trừ nghỉ chế độ thai sản" in page
    data = facts(
        staff, months_worked="4", maternity_leave="on", reason="Nghỉ thai sản từ 01/12/2023"
    )
    response = clerk.post(url("evaluation_facts", staff.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    staff.refresh_from_db()
    assert (staff.months_worked, staff.leave_months, staff.maternity_leave) == (
        Decimal(4),
        Decimal(0),
        True,
    )
    assert staff.history.first().history_change_reason == "Nghỉ thai sản từ 01/12/2023"
    row = preview_row(cycle, "staff")
    assert row.result is not None and row.result.level is Level.HTT
    assert "Nghỉ chế độ thai sản: công tác 4 tháng" in " ".join(row.result.reasons)
    warnings = "\n".join(classification.preview(cycle.fresh()).warnings)
    assert "nghỉ chế độ thai sản, công tác 4 tháng (dưới 6 tháng) nhưng vẫn được xếp loại" in (
        warnings
    )
    listing = clerk.get(url("facts", cycle.campaign.pk)).content.decode()
    assert "thai sản" in listing
    # The same four months without maternity leave: not classified.
    staff.refresh_from_db()
    data = facts(staff, months_worked="4", leave_months="0", reason="Sửa: không phải thai sản")
    assert clerk.post(url("evaluation_facts", staff.pk), data).status_code == 302
    row = preview_row(cycle, "staff")
    assert row.result is not None and row.result.level is None


def test_four_months_of_leave_caps_the_level_at_ht_with_a_warning(proposed: Cycle) -> None:
    cycle = proposed
    staff = evaluation_of(cycle, "staff")
    data = facts(staff, months_worked="8", leave_months="4", reason="Nghỉ ốm dài ngày 4 tháng")
    response = cycle.client("leadership").post(url("evaluation_facts", staff.pk), data)
    assert response.status_code == 302
    row = preview_row(cycle, "staff")
    assert row.result is not None and row.result.level is Level.HT
    assert row.result.titles == ()
    warnings = "\n".join(classification.preview(cycle.fresh()).warnings)
    assert (
        f"{row.name}: Nghỉ không tham gia công tác 4 tháng trong năm theo quy định (từ 3 tháng): "
        "xếp loại không cao hơn Hoàn thành nhiệm vụ (HT), không theo mức đề xuất HTT"
    ) in warnings
    page = cycle.client("leadership").get(url("evaluation", staff.pk)).content.decode()
    assert "4 tháng nghỉ theo quy định" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"leave_months": "abc"}, "Nhập một số"),
        ({"leave_months": "13"}, "12"),
        ({"leave_months": "-1"}, "0"),
        ({"leave_months": ""}, "bắt buộc"),
        ({"months_worked": "10", "leave_months": "3"}, "cộng lại không quá 12 tháng"),
        ({"leave_months": "1\x00"}, ""),
    ],
)
def test_bad_leave_is_refused_in_vietnamese(
    proposed: Cycle, values: dict[str, str], message: str
) -> None:
    staff = evaluation_of(proposed, "staff")
    response = proposed.client("clerk").post(
        url("evaluation_facts", staff.pk), facts(staff, **values)
    )
    assert response.status_code == 400, values
    assert message in response.content.decode(), values
    staff.refresh_from_db()
    assert (staff.months_worked, staff.leave_months, staff.maternity_leave) == (
        Decimal(12),
        Decimal(0),
        False,
    )


def test_the_service_refuses_what_the_form_would(proposed: Cycle) -> None:
    staff = evaluation_of(proposed, "staff")
    clerk = proposed.users["clerk"]
    with pytest.raises(EmulationError, match="cộng lại không quá 12 tháng"):
        evaluation_services.record_facts(
            staff, months_worked=Decimal(12), leave_months=Decimal(1), discipline=None,
            task_group="GV", by=clerk,
        )  # fmt: skip
    with pytest.raises(EmulationError, match="Số tháng nghỉ phải từ 0 đến 12"):
        evaluation_services.record_facts(
            staff, months_worked=Decimal(0), leave_months=Decimal(-1), discipline=None,
            task_group="GV", by=clerk,
        )  # fmt: skip
    staff.refresh_from_db()
    assert staff.leave_months == 0


def test_who_may_record_leave(proposed: Cycle) -> None:
    staff = evaluation_of(proposed, "staff")
    for role, status in (
        ("colleague", 403),
        ("staff", 403),  # not one's own
        ("officer", 404),
        ("outsider", 404),
    ):
        data = facts(staff, months_worked="8", leave_months="4")
        response = proposed.client(role).post(url("evaluation_facts", staff.pk), data)
        assert response.status_code == status, role
    staff.refresh_from_db()
    assert staff.leave_months == 0
