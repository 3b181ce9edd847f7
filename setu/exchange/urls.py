from django.urls import path

from setu.exchange import api

app_name = "exchange"

urlpatterns = [
    path("v1/inbox", api.inbox, name="inbox"),
    path("v1/inbox/batch", api.inbox_batch, name="inbox_batch"),
]
