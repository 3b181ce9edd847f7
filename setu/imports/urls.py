from django.urls import path

from setu.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<uuid:public_id>/", views.run_detail, name="run"),
    path("runs/<uuid:public_id>/progress/", views.run_progress, name="progress"),
    path("runs/<uuid:public_id>/mapping/", views.run_mapping, name="mapping"),
    path("runs/<uuid:public_id>/import/", views.run_confirm, name="confirm"),
    path("runs/<uuid:public_id>/resume/", views.run_resume, name="resume"),
    path("runs/<uuid:public_id>/discard/", views.run_discard, name="discard"),
    path("runs/<uuid:public_id>/report.csv", views.run_report_csv, name="report_csv"),
    path("runs/<uuid:public_id>/duplicates.csv", views.run_duplicates_csv, name="duplicates_csv"),
]
