from django.urls import path

from setu.prevention import views

app_name = "prevention"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("summary.csv", views.summary_csv, name="summary_csv"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<uuid:public_id>/", views.activity_detail, name="activity_detail"),
    path("activities/<uuid:public_id>/edit/", views.activity_edit, name="activity_edit"),
    path("vigilance/", views.vigilance_list, name="vigilance_list"),
    path("vigilance/new/", views.vigilance_create, name="vigilance_create"),
    path("vigilance/<uuid:public_id>/", views.vigilance_detail, name="vigilance_detail"),
    path("local-levels/", views.local_level_options, name="local_level_options"),
]
