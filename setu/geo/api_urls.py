from django.urls import path
from rest_framework.routers import SimpleRouter

from setu.geo import api

router = SimpleRouter()
router.register("districts", api.DistrictViewSet, basename="district")
router.register("local-levels", api.LocalLevelViewSet, basename="local-level")
router.register("border-points", api.BorderPointViewSet, basename="border-point")

urlpatterns = [path("places/", api.places, name="places"), *router.urls]
