from django.urls import path

from setu.mla import views

app_name = "mla"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reminders/read/", views.notices_read, name="notices_read"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<uuid:public_id>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:public_id>/edit/", views.request_edit, name="request_edit"),
    path("requests/<uuid:public_id>/send/", views.request_send, name="request_send"),
    path("requests/<uuid:public_id>/move/", views.request_move, name="request_move"),
    path("requests/<uuid:public_id>/documents/", views.document_add, name="document_add"),
    path("requests/<uuid:public_id>/documents/<uuid:document_id>/", views.document, name="document"),
]
