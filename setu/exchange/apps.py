from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "setu.exchange"
    label = "exchange"
    verbose_name = "Exchange"
