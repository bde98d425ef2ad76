from django.db import migrations

from training.seed import sync_steps


def load(apps, schema_editor):
    sync_steps(apps.get_model("training", "StepTemplate"))


class Migration(migrations.Migration):
    dependencies = [("training", "0001_dossiers_steps_partners_courses")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
