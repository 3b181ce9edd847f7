from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "setu.training"
    label = "training"
    verbose_name = "Joint training"

    def ready(self) -> None:
        # Registers the exchange inbox's handlers of the training.* types (setu.exchange.inbox.handler).
        from setu.training import exchange  # noqa: F401
