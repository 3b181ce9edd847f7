from django.urls import path

from setu.geo import views

app_name = "geo"

urlpatterns = [
    path("", views.search, name="search"),
    path("districts/<int:pk>/", views.district_detail, name="district"),
    path("border-points/<int:pk>/", views.border_point_detail, name="border_point"),
]
