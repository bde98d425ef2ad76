"""The task form's "Thứ tự" field is gone: a task stands among its siblings where its number puts
it. Existing places are kept exactly as the tree shows them today (by order, then by creation),
renumbered 10, 20, 30… within each group of siblings, so that ties (every task added by the form
had 0) become explicit and nothing moves on upgrade."""

from collections import defaultdict

from django.db import migrations

STEP = 10


def keep_places_in_steps(apps, schema_editor):
    Task = apps.get_model("planning", "Task")
    groups = defaultdict(list)
    rows = Task._base_manager.order_by("order", "pk").values_list(
        "pk", "plan_id", "parent_id", "owner_unit_id", "order"
    )
    for pk, plan_id, parent_id, owner_unit_id, order in rows:
        groups[(plan_id, parent_id, owner_unit_id)].append((pk, order))
    for siblings in groups.values():
        for position, (pk, order) in enumerate(siblings, start=1):
            if order != position * STEP:
                Task._base_manager.filter(pk=pk).update(order=position * STEP)


class Migration(migrations.Migration):
    dependencies = [("planning", "0004_plan_figures_version")]

    operations = [migrations.RunPython(keep_places_in_steps, migrations.RunPython.noop)]
