from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "setu.reports"
    label = "reports"
    verbose_name = "Reports and statistics"

    def ready(self) -> None:
        # Registers the exchange inbox's handler of the statistics.* types (setu.exchange.inbox.handler).
        from setu.reports import exchange  # noqa: F401
