"""A task's history read as of a day (tracking.task_figures.as_of: the deadline and run state a
task had at the end of a past day) is one probe of this index per task, not a scan of the task's
history rows through the index on `id` alone. Raw SQL: django-simple-history builds the
historical model, so the index is not declared on it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("planning", "0005_task_places_kept_in_steps")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX planning_historicaltask_id_date "
            "ON planning_historicaltask (id, history_date DESC, history_id DESC)",
            reverse_sql="DROP INDEX planning_historicaltask_id_date",
        )
    ]
