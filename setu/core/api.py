"""API plumbing shared by every app: errors as JSON with field messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, plus: Django ValidationErrors become 400 with field messages, and every 404 reads
    the same whether the record is missing or forbidden."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(
            {"detail": "The request is not valid; nothing was changed.", "errors": detail},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "The request is not valid; nothing was changed.", "errors": response.data}
    elif isinstance(exc, exceptions.NotFound):
        response.data = {"detail": "Not found."}
    return response
