from rest_framework.routers import SimpleRouter

from setu.tracing import api

router = SimpleRouter()
router.register("tracing/reports", api.MissingReportViewSet, basename="missing-report")
router.register("tracing/matches", api.MatchCandidateViewSet, basename="match-candidate")

urlpatterns = router.urls
