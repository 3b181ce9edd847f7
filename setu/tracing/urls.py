from django.urls import path

from setu.tracing import border_views, match_views, views

app_name = "tracing"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("local-levels/", views.local_levels, name="local_levels"),
    path("<uuid:public_id>/", views.report_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.report_edit, name="edit"),
    path("<uuid:public_id>/status/", views.report_status, name="status"),
    path("matches/", match_views.match_queue, name="matches"),
    path("matches/<uuid:public_id>/", match_views.match_detail, name="match"),
    path("matches/<uuid:public_id>/decide/", match_views.match_decide, name="match_decide"),
    path("<uuid:public_id>/alert/", border_views.alert_send, name="alert_send"),
    path("border/answers/<uuid:public_id>/decide/", border_views.foreign_decide, name="foreign_decide"),
    path("border/asked/<uuid:public_id>/", border_views.local_detail, name="asked"),
    path("border/asked/<uuid:public_id>/decide/", border_views.local_decide, name="asked_decide"),
]
