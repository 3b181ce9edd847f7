"""/reports/exports/: the HTCDS case export, list exports, a case's printable documents, the annual summary."""

from django.urls import path

from setu.reports import views_exports as views

urlpatterns = [
    path("", views.index, name="exports"),
    path("htcds.csv", views.htcds_csv, name="htcds_csv"),
    path("htcds.json", views.htcds_json, name="htcds_json"),
    path("lists/<slug:key>.<slug:fmt>", views.list_export, name="list_export"),
    path("cases/<uuid:case_id>/<slug:kind>.pdf", views.case_document, name="case_document"),
    path("annual-summary/", views.annual_summary, name="annual_summary"),
    path("annual-summary.pdf", views.annual_summary_pdf, name="annual_summary_pdf"),
]
