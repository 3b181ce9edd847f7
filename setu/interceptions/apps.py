from django.apps import AppConfig


class InterceptionsConfig(AppConfig):
    name = "setu.interceptions"
    label = "interceptions"
    verbose_name = "Interceptions"
