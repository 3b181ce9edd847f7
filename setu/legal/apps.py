from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "setu.legal"
    label = "legal"
    verbose_name = "Legal cooperation"

    def ready(self) -> None:
        # Registers the exchange inbox's handlers of testimony.request and testimony.reply.
        from setu.legal import exchange  # noqa: F401
