from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "setu.imports"
    label = "imports"
    verbose_name = "Imports of spreadsheets"
