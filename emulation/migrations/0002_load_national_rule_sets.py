from django.db import migrations


def load_rule_sets(apps, schema_editor):
    from emulation.seed import sync_rule_sets

    sync_rule_sets(apps.get_model("emulation", "RuleSet"))


class Migration(migrations.Migration):
    """The national rule sets in force on 31/5/2024 and from 01/7/2025 (data/rule_sets.json)."""

    dependencies = [("emulation", "0001_dated_rule_sets")]

    operations = [migrations.RunPython(load_rule_sets, migrations.RunPython.noop)]
