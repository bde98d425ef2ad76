"""The table of the database cache (settings.CACHES), made with the schema like any other table:
`make migrate`, the test database, the PostgreSQL runs and `manage.py restore` all have it."""

from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps: Any, schema_editor: Any) -> None:
    # Does nothing for a cache of another kind, or when the table is already there.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
