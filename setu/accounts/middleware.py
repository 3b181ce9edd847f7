"""Session lifetime: 15 minutes idle (SESSION_COOKIE_AGE, renewed per request) and 12 hours absolute."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

SESSION_STARTED_KEY = "setu_authenticated_at"
SESSION_SEEN_KEY = "setu_last_seen"


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY)
            seen = request.session.get(SESSION_SEEN_KEY, started)
            expired = (
                started is None
                or now - started > settings.SETU_SESSION_ABSOLUTE_SECONDS
                or (seen is not None and now - seen > settings.SETU_SESSION_IDLE_SECONDS)
            )
            if expired:
                logout(request)
                if request.path.startswith("/api/"):
                    return HttpResponse(
                        b'{"detail": "Your session has ended. Sign in again."}',
                        status=401,
                        content_type="application/json",
                    )
                return redirect_to_login(request.get_full_path())
            request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)
