from django.apps import AppConfig


class MlaConfig(AppConfig):
    name = "setu.mla"
    label = "mla"
    verbose_name = "Mutual legal assistance"
