"""The interceptions' pages: recording and reading (views), hotspots (hotspot_views), alerts from the other
side (alert_views)."""

from setu.interceptions import alert_views, hotspot_views, views

app_name = "interceptions"

urlpatterns = [*views.urlpatterns, *hotspot_views.urlpatterns, *alert_views.urlpatterns]
