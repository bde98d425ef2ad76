"""The figures of a plan's pages move to Django's cache (planning/figures_cache.py): the stored
figures and the worker's pending flags go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_cache_table"),
        ("tracking", "0002_stored_figures"),
    ]

    operations = [
        migrations.DeleteModel(name="FiguresRefresh"),
        migrations.DeleteModel(name="StoredFigures"),
    ]
