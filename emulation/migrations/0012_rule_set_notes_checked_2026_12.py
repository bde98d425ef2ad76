from django.db import migrations

from emulation.seed import sync_rule_sets


def load_notes(apps, schema_editor):
    """The national sets take their updated notes (what was checked against the texts in 12/2026)
    from the data file."""
    sync_rule_sets(apps.get_model("emulation", "RuleSet"))


class Migration(migrations.Migration):
    dependencies = [
        ("emulation", "0010_upward_dossiers_and_province_campaigns"),
    ]

    operations = [
        migrations.RunPython(load_notes, migrations.RunPython.noop),
    ]
