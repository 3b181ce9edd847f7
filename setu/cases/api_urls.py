from rest_framework.routers import SimpleRouter

from setu.cases import api

router = SimpleRouter()
router.register("cases", api.CaseViewSet, basename="case")
router.register("case-transfers", api.CaseTransferViewSet, basename="case-transfer")
router.register("case-tasks", api.CaseTaskViewSet, basename="case-task")

urlpatterns = router.urls
