"""The dashboards, at the top of /reports/: the index, one page per section (only the sections' own names, so
that the statistics and exports under /reports/ are never taken for a section), and every table as a ZIP."""

from django.urls import path, re_path

from setu.reports import views_dashboards
from setu.reports.dashboards import SECTIONS

urlpatterns = [
    path("", views_dashboards.dashboard_index, name="dashboard"),
    path("csv/", views_dashboards.dashboard_all_csv, name="dashboard_csv"),
    re_path(rf"^(?P<key>{'|'.join(SECTIONS)})/$", views_dashboards.dashboard_section, name="dashboard_section"),
]
