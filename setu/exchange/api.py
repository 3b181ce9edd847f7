"""The inbox endpoints peers post to (docs/exchange.md, "Transport"). No session, no CSRF: every message
authenticates itself by its signature, and is refused before any effect when it does not."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from setu.exchange.envelope import MAX_TOKEN_BYTES
from setu.exchange.inbox import receive, receive_batch, security_event

MAX_BATCH = 500
JOSE = "application/jose"


@csrf_exempt
@login_not_required
@require_POST
def inbox(request: HttpRequest) -> HttpResponse:
    """One message: the body is the JWS; the answer is our signed receipt (200, or 422 when rejected) or a
    JSON error (4xx: do not send these bytes again)."""
    if len(request.body) > MAX_TOKEN_BYTES:
        return JsonResponse({"error": "The message is too large."}, status=413)
    reply = receive(request.body.decode("ascii", errors="replace").strip())
    if reply.receipt:
        return HttpResponse(reply.receipt, status=reply.status, content_type=JOSE)
    return JsonResponse({"error": reply.error}, status=reply.status)


@csrf_exempt
@login_not_required
@require_POST
def inbox_batch(request: HttpRequest) -> HttpResponse:
    """Several messages in order: {"messages": [JWS, ...]} → {"results": [{"status", "receipt"|"error"}]},
    each result exactly what `inbox` would have answered for that message alone."""
    try:
        messages = json.loads(request.body)["messages"]
        if not isinstance(messages, list) or not all(isinstance(m, str) for m in messages):
            raise ValueError("messages must be a list of strings")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        security_event("malformed batch")
        return JsonResponse({"error": 'The body must be {"messages": [JWS, ...]}.'}, status=400)
    if len(messages) > MAX_BATCH:
        return JsonResponse({"error": f"At most {MAX_BATCH} messages per batch."}, status=413)
    results = [{"status": reply.status, "receipt": reply.receipt} if reply.receipt
               else {"status": reply.status, "error": reply.error} for reply in receive_batch(messages)]  # fmt: skip
    return JsonResponse({"results": results})
