"""One JSON error shape for every 4xx: ``{"error": {"code", "message", "fields"?}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from claims.models.claims import InvalidTransition
from claims.services.claims import StaleVersion


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since you read it."
    default_code = "stale_version"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send the ETag you read in an If-Match header to change this resource."
    default_code = "if_match_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The resource is not in a state that allows this."
    default_code = "invalid_transition"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than the 1 MiB limit."
    default_code = "payload_too_large"


def _django_messages(exc: DjangoValidationError) -> tuple[str, dict[str, list[str]]]:
    """Split a Django ValidationError into a summary and per-field messages."""
    if hasattr(exc, "error_dict"):
        fields = {
            ("non_field_errors" if k == "__all__" else k): [str(m) for m in v]
            for k, v in exc.message_dict.items()
        }
        first = next(iter(fields.values()), ["Invalid input."])
        return first[0], fields
    messages = [str(m) for m in exc.messages]
    return (" ".join(messages) or "Invalid input."), {}


def _flatten(detail: Any) -> tuple[str, dict[str, list[str]]]:
    """Turn DRF's nested error detail into a summary plus a flat field → messages map."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                for key, sub in value.items():
                    walk(f"{prefix}.{key}" if prefix else str(key), sub)
            elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
                for i, sub in enumerate(value):
                    walk(f"{prefix}[{i}]", sub)
            else:
                items = value if isinstance(value, list) else [value]
                fields.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in items)

        walk("", detail)
        name, msgs = next(iter(fields.items()), ("", ["Invalid input."]))
        summary = msgs[0] if name in ("", "non_field_errors") else f"{name}: {msgs[0]}"
        return summary, fields
    if isinstance(detail, list):
        return " ".join(str(d) for d in detail) or "Invalid input.", {}
    return str(detail), {}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _code_of(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "validation_error"
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Map DRF and Django (service) errors to the documented JSON error shape."""
    if isinstance(exc, StaleVersion):
        exc = PreconditionFailed(" ".join(exc.messages))
    elif isinstance(exc, InvalidTransition):
        exc = Conflict(" ".join(exc.messages))
    elif isinstance(exc, DjangoValidationError):
        message, fields = _django_messages(exc)
        return Response(error_body("validation_error", message, fields), status=400)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: let Django log it and answer 500
    message, fields = _flatten(exc.detail if isinstance(exc, exceptions.APIException) else "")
    code = _code_of(exc) if isinstance(exc, exceptions.APIException) else "error"
    response.data = error_body(code, message, fields)
    return response


def not_found_json(request, exception=None) -> JsonResponse:
    """A JSON 404 for unknown /api/ paths (Django's handler is HTML)."""
    return JsonResponse(error_body("not_found", "No API endpoint at this path."), status=404)
