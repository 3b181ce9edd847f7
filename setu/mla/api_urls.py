from django.urls import path
from rest_framework.routers import SimpleRouter

from setu.mla import api

router = SimpleRouter()
router.register("mla/requests", api.MlaRequestViewSet, basename="mla-request")

urlpatterns = [path("mla/dashboard/", api.DashboardView.as_view(), name="mla-dashboard"), *router.urls]
