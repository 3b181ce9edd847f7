from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "setu.legal"
    label = "legal"
    verbose_name = "Legal cooperation"

    def ready(self) -> None:
        # Registers the exchange inbox's handlers of testimony.request and testimony.reply.
        from setu.legal import exchange  # noqa: F401
        from setu.legal.charges import charge_list

        # The charge list is read and validated when the node starts: a broken file stops it here, with the
        # problems listed, rather than a charge being refused or mislabelled later (docs/legal.md §2).
        charge_list()
