from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from province.models import DirectedSchool, Dispatch, SchoolChange


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


@admin.register(SchoolChange)
class SchoolChangeAdmin(SimpleHistoryAdmin):
    """Mergers and moves, as recorded (province.mergers): read here, made on their page."""

    list_display = ["school", "kind", "successor", "new_parent", "effective_on", "recorded_at"]
    readonly_fields = [f.name for f in SchoolChange._meta.fields]
