"""The notifications app takes over tracking's Notification with its table and rows (renamed to
notifications_notification), adds each notification's kind and e-mail delivery, and the people's
choices (NotificationPreference) and the daily digests sent (DigestLog)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

KINDS = [
    ("extension_requested", "Đề nghị gia hạn nhiệm vụ"),
    ("extension_decided", "Kết quả xem xét đề nghị gia hạn"),
    ("proposal_made", "Đơn vị đề xuất điều chỉnh chỉ tiêu"),
    ("proposal_decided", "Kết quả xem xét đề xuất chỉ tiêu"),
    ("opinion_answered", "Ý kiến tham góp được trả lời"),
    ("opinion_forwarded", "Ý kiến chuyển đơn vị giải quyết"),
    ("report_to_review", "Báo cáo chờ xem xét"),
    ("report_issued", "Báo cáo được ban hành"),
    ("plan_issued", "Kế hoạch được ban hành"),
    ("plan_amended", "Kế hoạch được sửa đổi, bổ sung"),
    ("assignment_applied", "Áp dụng phân công giảng dạy"),
    ("sheet_imported", "Đơn vị nhập phiếu báo cáo tiến độ"),
    ("reminder", "Nhắc việc (sắp đến hạn, thiếu báo cáo, quá hạn)"),
    ("general", "Thông báo khác"),
]
DELIVERIES = [
    ("immediate", "Gửi thư ngay"),
    ("digest", "Gộp vào thư tổng hợp hằng ngày"),
    ("off", "Không gửi thư (chỉ xem trong ứng dụng)"),
]


def adopt_rows(apps, schema_editor):
    """The content type follows the model; what reminders sent is of the reminder kind."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Notification = apps.get_model("notifications", "Notification")
    if not ContentType.objects.filter(app_label="notifications", model="notification").exists():
        ContentType.objects.filter(app_label="tracking", model="notification").update(
            app_label="notifications"
        )
    reminder_type = ContentType.objects.filter(app_label="tracking", model="reminder").first()
    if reminder_type is not None:
        Notification.objects.filter(source_type=reminder_type).update(kind="reminder")
    # Rows made before deliveries existed had their e-mail sent (or not) already.
    Notification.objects.filter(emailed_at__isnull=True).update(delivery="off")


def give_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="notifications", model="notification").update(
        app_label="tracking"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("tracking", "0004_notifications_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("title", models.CharField(max_length=300)),
                        ("body", models.TextField(blank=True)),
                        ("url", models.CharField(blank=True, max_length=300)),
                        ("source_id", models.PositiveBigIntegerField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        ("source_type", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "thông báo",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "tracking_notification",
                        "indexes": [models.Index(fields=["user", "read_at"], name="notification_unread")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="notification", table=None),
        migrations.AddField(
            model_name="notification",
            name="kind",
            field=models.CharField(choices=KINDS, default="general", max_length=40),
        ),
        migrations.AddField(
            model_name="notification",
            name="delivery",
            field=models.CharField(choices=DELIVERIES, default="immediate", max_length=10),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["source_type", "source_id"], name="notification_source"),
        ),
        migrations.RunPython(adopt_rows, give_back),
        migrations.CreateModel(
            name="NotificationPreference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=KINDS, max_length=40)),
                ("delivery", models.CharField(choices=DELIVERIES, default="immediate", max_length=10, verbose_name="thư điện tử")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notification_preferences", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "lựa chọn nhận thông báo",
                "constraints": [models.UniqueConstraint(fields=("user", "kind"), name="one_preference_per_kind")],
            },
        ),
        migrations.CreateModel(
            name="DigestLog",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("on", models.DateField()),
                ("count", models.PositiveIntegerField(default=0)),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("user", "on"), name="one_digest_a_day")],
            },
        ),
    ]
