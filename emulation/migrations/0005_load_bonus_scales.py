from django.db import migrations

from emulation.seed import sync_bonuses


def load(apps, schema_editor):
    sync_bonuses(
        apps.get_model("emulation", "BaseSalary"), apps.get_model("emulation", "BonusScale")
    )


class Migration(migrations.Migration):
    dependencies = [("emulation", "0004_council_ballot_appeals_decisions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
