from django.db import migrations

from students.seed import sync_benchmarks


def load(apps, schema_editor):
    sync_benchmarks(apps.get_model("students", "Benchmark"))


class Migration(migrations.Migration):
    dependencies = [("students", "0001_programmes_cohorts_students")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
