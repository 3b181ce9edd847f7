"""Site chrome: the dashboard of the user's own work, health check, error pages."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from setu.core.middleware import database_unavailable_response
from setu.web import selectors


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "web/dashboard.html", selectors.dashboard_for(request.user))


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """Load balancers ask this; it answers only whether the node and its database respond."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return JsonResponse({"status": "database unavailable"}, status=503)


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    """Errors raised before a view runs (sessions, authentication) reach here: a database that is down
    still gets the 503 page that says nothing was changed."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable_response(request)
    return render(request, "500.html", status=500)
