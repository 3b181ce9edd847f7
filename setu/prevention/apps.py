from django.apps import AppConfig


class PreventionConfig(AppConfig):
    name = "setu.prevention"
    label = "prevention"
    verbose_name = "Prevention"
