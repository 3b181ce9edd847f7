"""Cross-cutting HTTP behaviour: request ids, no caching of survivor data, a clear page when the DB is down."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from setu.core import context

logger = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep a sane one from the proxy) and expose it to the audit log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = context.set_current(
            context.RequestContext(
                request_id=request_id,
                ip_address=request.META.get("REMOTE_ADDR", ""),
                path=request.path[:200],
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-Id"] = request_id
        return response


class NoStoreMiddleware:
    """ASVS 14.3.2: pages of a signed-in user are never kept by browsers or proxies (shared devices)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response


class DatabaseUnavailableMiddleware:
    """A database that is down gives a 503 page at once (connect_timeout bounds the wait), never a hang."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s", exception.__class__.__name__)
        return database_unavailable_response(request)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return HttpResponse(
            b'{"detail": "The database is not available. Nothing was changed; try again shortly."}',
            status=503,
            content_type="application/json",
            headers={"Retry-After": "15"},
        )
    return HttpResponse(render_to_string("503.html"), status=503, headers={"Retry-After": "15"})
