from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "setu.legal"
    label = "legal"
    verbose_name = "Legal cooperation"
