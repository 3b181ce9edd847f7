from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from setu.accounts import views as account_views

api_v1: list = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("", include("setu.accounts.api_urls")),
    path("", include("setu.people.api_urls")),
    path("", include("setu.cases.api_urls")),
    path("", include("setu.geo.api_urls")),
    path("", include("setu.tracing.api_urls")),
    path("", include("setu.legal.api_urls")),
    path("", include("setu.mla.api_urls")),
    path("", include("setu.training.api_urls")),
]

urlpatterns = [
    path("accounts/login/", account_views.SetuLoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.SetuLogoutView.as_view(), name="logout"),
    path("accounts/", include("setu.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("audit/", include("setu.audit.urls")),
    path("places/", include("setu.geo.urls")),
    path("people/", include("setu.people.urls")),
    path("cases/", include("setu.cases.urls")),
    path("exchange/", include("setu.exchange.urls")),
    path("interceptions/", include("setu.interceptions.urls")),
    path("prevention/", include("setu.prevention.urls")),
    path("tracing/", include("setu.tracing.urls")),
    path("legal/", include("setu.legal.urls")),
    path("mla/", include("setu.mla.urls")),
    path("training/", include("setu.training.urls")),
    path("reports/", include("setu.reports.urls")),
    path("imports/", include("setu.imports.urls")),
    path("", include("setu.web.urls")),
]

handler404 = "setu.web.views.not_found"
handler500 = "setu.web.views.server_error"
