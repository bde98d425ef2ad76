from django.db import migrations


def load_kinds(apps, schema_editor):
    from conferences.kinds import sync_conference_kinds

    sync_conference_kinds(apps.get_model("conferences", "ConferenceKind"))


class Migration(migrations.Migration):
    dependencies = [("conferences", "0001_initial")]

    operations = [migrations.RunPython(load_kinds, migrations.RunPython.noop)]
