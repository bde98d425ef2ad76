"""Notifications move down to their own app (`notifications`), so that every app may tell people
something. The table and its rows stay; a notification's reminder becomes its generic `source`
(the content type of tracking.reminder and the reminder's id), then tracking lets the model go
(notifications/migrations/0001 takes it over)."""

import django.db.models.deletion
from django.db import migrations, models


def reminder_to_source(apps, schema_editor):
    Notification = apps.get_model("tracking", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Notification.objects.filter(reminder__isnull=False).exists():
        return
    reminder_type, _created = ContentType.objects.get_or_create(
        app_label="tracking", model="reminder"
    )
    Notification.objects.filter(reminder__isnull=False).update(
        source_type=reminder_type, source_id=models.F("reminder_id")
    )


def source_to_reminder(apps, schema_editor):
    Notification = apps.get_model("tracking", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    reminder_type = ContentType.objects.filter(app_label="tracking", model="reminder").first()
    if reminder_type is not None:
        Notification.objects.filter(source_type=reminder_type).update(
            reminder_id=models.F("source_id")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("tracking", "0003_figures_in_the_cache"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="source_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="source_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(reminder_to_source, source_to_reminder),
        migrations.RemoveField(model_name="notification", name="reminder"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
