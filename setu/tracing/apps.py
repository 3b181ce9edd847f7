from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "setu.tracing"
    label = "tracing"
    verbose_name = "Tracing"
