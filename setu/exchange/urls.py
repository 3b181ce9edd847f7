from django.urls import path

from setu.exchange import api, pages
from setu.exchange import views as admin_views

app_name = "exchange"

urlpatterns = [
    path("v1/inbox", api.inbox, name="inbox"),
    path("v1/inbox/batch", api.inbox_batch, name="inbox_batch"),
    path("received/", pages.received_list, name="received"),
    path("received/<uuid:message_id>/", pages.received_detail, name="received_detail"),
    path("certificates/<str:number>/", pages.certificate, name="certificate"),
    path("cases/<uuid:case_id>/<slug:step>/", pages.case_step, name="case_step"),
    # The node's administrators: peers, their keys, the message queues (setu.exchange.views).
    path("peers/", admin_views.peers, name="admin_peers"),
    path("peers/<str:code>/keys/<str:kid>/retire/", admin_views.peer_key_retire, name="admin_peer_key_retire"),
    path("peers/<str:code>/retry/", admin_views.peer_retry, name="admin_peer_retry"),
    path("messages/", admin_views.message_queues, name="admin_messages"),
]
