from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "setu.tracing"
    label = "tracing"
    verbose_name = "Tracing"

    def ready(self) -> None:
        # Registers the exchange inbox's handlers of the tracing.* types (setu.exchange.inbox.handler).
        from setu.tracing import border  # noqa: F401
