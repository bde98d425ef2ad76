from django.apps import AppConfig


class ProvinceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "province"
    verbose_name = "Sở GD&ĐT: văn bản chỉ đạo, yêu cầu báo cáo"

    def ready(self) -> None:
        # The reminders of report requests run with the day's task reminders (send_reminders).
        from province import reminders
        from tracking.reminders import register_scan

        register_scan(reminders.scan_request_reminders)
