from django.db import migrations


def load_types(apps, schema_editor):
    from documents.catalogue import sync_document_types

    sync_document_types(apps.get_model("documents", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(load_types, migrations.RunPython.noop)]
