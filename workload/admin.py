from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from workload.models import (
    ActivityKind,
    Availability,
    ClassSizeBand,
    Lecturer,
    Norm,
    Reduction,
    RuleSet,
    Section,
    Term,
)


class NormInline(admin.TabularInline):
    model = Norm
    extra = 0


class ReductionInline(admin.TabularInline):
    model = Reduction
    extra = 0


class ActivityKindInline(admin.TabularInline):
    model = ActivityKind
    extra = 0


class ClassSizeBandInline(admin.TabularInline):
    model = ClassSizeBand
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "school", "valid_from", "valid_to"]
    inlines = [NormInline, ReductionInline, ActivityKindInline, ClassSizeBandInline]


@admin.register(Lecturer)
class LecturerAdmin(SimpleHistoryAdmin):
    list_display = ["code", "person", "group", "title", "is_active"]
    search_fields = ["code", "person__full_name"]
    list_filter = ["group", "title"]


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "course", "term", "group", "hours", "assigned_to"]
    search_fields = ["code", "course"]
    list_filter = ["term", "group"]


admin.site.register(Term, SimpleHistoryAdmin)
admin.site.register(Availability, SimpleHistoryAdmin)
