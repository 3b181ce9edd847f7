from django.apps import AppConfig


class MlaConfig(AppConfig):
    name = "setu.mla"
    label = "mla"
    verbose_name = "Mutual legal assistance"

    def ready(self) -> None:
        # Registers the exchange inbox's handlers of the mla.* types (setu.exchange.inbox.handler), and reads
        # and validates the authorities and deadline rules once: a mistake in either file stops the node here.
        from setu.mla import exchange  # noqa: F401
        from setu.mla.authorities import register
        from setu.mla.deadlines_rules import rule_book
        from setu.mla.services import agreement_override

        register()
        rule_book()
        agreement_override()  # a malformed SETU_MLA_AGREEMENT_IN_FORCE_ON stops the node (ImproperlyConfigured)
