"""Views' plumbing: typing (behind LoginRequiredMiddleware every request has a signed-in user and htmx
details), the one way a download is sent, and the one way an upload is sent back."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from setu.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


def is_partial(request: AuthedRequest) -> bool:
    """An htmx request for part of a page (a search's results), not a history restore wanting the whole."""
    return bool(request.htmx) and not request.htmx.history_restore_request


R = TypeVar("R", bound=HttpResponseBase)


def attachment(response: R, filename: str) -> R:
    """`response` as a download named `filename`: never sniffed into another type, and kept by no browser or
    proxy cache (exports, extracts and reports may carry identifying records or near-identifying counts)."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def protected_file(handle, *, content_type: str, filename: str, as_attachment: bool = True) -> FileResponse:
    """A stored upload, sent only after the caller's access check: never sniffed into another type, never
    embedded by another site, and sandboxed if a browser renders it anyway (ASVS 5.3.x)."""
    response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
