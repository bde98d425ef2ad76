from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from emulation.models import (
    BaseSalary,
    BonusScale,
    Campaign,
    Evaluation,
    Initiative,
    RuleSet,
    TitleHistory,
)


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple-history ships no types
    list_display = ["name", "school", "valid_from", "htxs_quota", "min_months_classified"]
    list_filter = ["school"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple-history ships no types
    list_display = ["name", "school", "start_year", "status", "launched_on"]
    list_filter = ["school", "status"]


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple-history ships no types
    list_display = ["person", "campaign", "unit", "stage", "proposed_level", "council_rank"]
    list_filter = ["campaign", "stage"]
    raw_id_fields = ["person", "unit", "subunit"]


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple-history ships no types
    list_display = ["title", "school", "scope", "start_year", "recognised_on"]
    list_filter = ["school", "scope"]


@admin.register(TitleHistory)
class TitleHistoryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple-history ships no types
    list_display = ["start_year", "person", "unit", "titles", "level", "source"]
    list_filter = ["school", "start_year"]
    raw_id_fields = ["person", "unit"]


@admin.register(BaseSalary)
class BaseSalaryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple-history ships no types
    list_display = ["valid_from", "amount", "source"]


@admin.register(BonusScale)
class BonusScaleAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple-history ships no types
    list_display = ["name", "valid_from", "rounding"]
