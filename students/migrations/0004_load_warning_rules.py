from django.db import migrations

from students.seed import sync_warning_rules


def load(apps, schema_editor):
    sync_warning_rules(apps.get_model("students", "WarningRule"))


class Migration(migrations.Migration):
    dependencies = [("students", "0003_target_feeds_term_results_warnings")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
