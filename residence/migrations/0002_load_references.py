from django.db import migrations

from residence.seed import sync_references


def load(apps, schema_editor):
    sync_references(apps.get_model("residence", "Reference"))


class Migration(migrations.Migration):
    dependencies = [("residence", "0001_residence_terms_rooms_places_declarations")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
