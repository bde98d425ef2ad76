from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planning.models import Plan, PlanAmendment, StrategicGoal, Target, Task, UnitPlan, WorkArea

for model in (Plan, PlanAmendment, StrategicGoal, Target, WorkArea, UnitPlan):
    admin.site.register(model, SimpleHistoryAdmin)


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "plan", "lead_unit", "due_date"]
    search_fields = ["search_text"]
    list_filter = ["plan"]
