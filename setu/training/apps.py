from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "setu.training"
    label = "training"
    verbose_name = "Joint training"
