from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo sơ kết, tổng kết"

    def ready(self) -> None:
        from reports import rules  # noqa: F401  (permissions)
        from reports.paper import register_kinds

        register_kinds()
