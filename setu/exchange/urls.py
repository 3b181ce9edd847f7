from django.urls import path

from setu.exchange import api, pages

app_name = "exchange"

urlpatterns = [
    path("v1/inbox", api.inbox, name="inbox"),
    path("v1/inbox/batch", api.inbox_batch, name="inbox_batch"),
    path("received/", pages.received_list, name="received"),
    path("received/<uuid:message_id>/", pages.received_detail, name="received_detail"),
    path("certificates/<str:number>/", pages.certificate, name="certificate"),
    path("cases/<uuid:case_id>/<slug:step>/", pages.case_step, name="case_step"),
]
