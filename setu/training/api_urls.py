from django.contrib.auth.decorators import login_not_required
from django.urls import path
from rest_framework.routers import SimpleRouter

from setu.training import api

router = SimpleRouter()
router.register("training/programmes", api.ProgrammeViewSet, basename="training-programme")
router.register("training/certificates", api.CertificateViewSet, basename="training-certificate")

urlpatterns = [
    path("training/verify/", login_not_required(api.verify), name="training-verify"),
    *router.urls,
]
