from django.urls import path
from rest_framework.routers import SimpleRouter

from setu.legal import api

router = SimpleRouter()
router.register("legal/prosecutions", api.ProsecutionViewSet, basename="legal-prosecution")
router.register("legal/witness-needs", api.WitnessNeedViewSet, basename="legal-witness-need")
router.register("legal/sessions", api.SessionViewSet, basename="legal-session")

urlpatterns = [
    path("legal/dashboard/", api.DashboardView.as_view(), name="legal-dashboard"),
    *router.urls,
]
