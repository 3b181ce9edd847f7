from django.urls import path

from setu.cases import views

app_name = "cases"

urlpatterns = [path("sop/", views.sop_versions, name="sop_versions")]
