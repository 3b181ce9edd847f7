from django.apps import AppConfig


class InterceptionsConfig(AppConfig):
    name = "setu.interceptions"
    label = "interceptions"
    verbose_name = "Interceptions"

    def ready(self) -> None:
        # Registers the exchange inbox's handler for `interception.alert` (setu.exchange.inbox.handler).
        from setu.interceptions import alerts  # noqa: F401
