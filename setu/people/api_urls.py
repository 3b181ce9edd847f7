from rest_framework.routers import SimpleRouter

from setu.people import api

router = SimpleRouter()
router.register("persons", api.PersonViewSet, basename="person")

urlpatterns = router.urls
