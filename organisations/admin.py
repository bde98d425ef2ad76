from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from organisations.models import Organisation, OrganisationName, Person, Position, Succession


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "search_text"]
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "school", "user"]
    search_fields = ["full_name", "search_text"]
    ordering = ["sort_key"]
    inlines = [PositionInline]
    autocomplete_fields = ["school"]


admin.site.register(OrganisationName, SimpleHistoryAdmin)
admin.site.register(Succession, SimpleHistoryAdmin)
