from django.db import migrations

from emulation.seed import sync_rule_sets


def load_notes(apps, schema_editor):
    """The national sets take their updated notes (what was checked against the texts in 12/2026)
    from the data file."""
    sync_rule_sets(apps.get_model("emulation", "RuleSet"))


class Migration(migrations.Migration):
    dependencies = [
        ("emulation", "0011_province_campaign_withdrawal_and_correction"),
    ]

    operations = [
        migrations.RunPython(load_notes, migrations.RunPython.noop),
    ]
