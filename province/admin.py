from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from province.models import DirectedSchool, Dispatch


@admin.register(DirectedSchool)
class DirectedSchoolAdmin(SimpleHistoryAdmin):
    """The schools each body directs (no page of the Sở's own yet: kept here by the
    administrator)."""

    list_display = ["school", "level", "body", "archived_at"]
    list_filter = ["body", "level"]
    search_fields = ["school__name", "school__short_name"]


@admin.register(Dispatch)
class DispatchAdmin(SimpleHistoryAdmin):
    list_display = ["document", "audience", "level", "recipient_count", "sent_at"]
    readonly_fields = ["document", "audience", "level", "recipient_count", "sent_at", "sent_by"]
