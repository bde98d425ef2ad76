from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from emulation.models import RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple-history ships no types
    list_display = ["name", "school", "valid_from", "htxs_quota", "min_months_classified"]
    list_filter = ["school"]
