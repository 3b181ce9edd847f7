"""The reports' pages, under /reports/: dashboards, bilateral statistics, exports and printable documents.
Each part keeps its own URL module; they share the "reports" namespace."""

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("", include("setu.reports.urls_dashboards")),
    path("statistics/", include("setu.reports.urls_statistics")),
    path("exports/", include("setu.reports.urls_exports")),
]
