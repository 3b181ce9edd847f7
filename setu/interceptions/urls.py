"""The interceptions' pages: recording and reading (views), hotspots (hotspot_views), alerts from the other
side (alert_views), the red-flag checklist's versions (checklist_views)."""

from setu.interceptions import alert_views, checklist_views, hotspot_views, views

app_name = "interceptions"

urlpatterns = [
    *views.urlpatterns,
    *hotspot_views.urlpatterns,
    *alert_views.urlpatterns,
    *checklist_views.urlpatterns,
]
