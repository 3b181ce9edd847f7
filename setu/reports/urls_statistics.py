"""Bilateral statistics, under /reports/statistics/ (namespace "reports")."""

from django.urls import path

from setu.reports import views_statistics as views

urlpatterns = [
    path("", views.joint, name="statistics"),
    path("publish/", views.publish, name="statistics_publish"),
    path("ctdc/", views.ctdc_page, name="statistics_ctdc"),
    path("ctdc/extract.csv", views.ctdc_csv, name="statistics_ctdc_csv"),
    path("ctdc/suppression.csv", views.ctdc_report_csv, name="statistics_ctdc_report_csv"),
]
