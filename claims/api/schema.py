"""OpenAPI generation: every operation documents the shared error shape for its 4xx codes."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from .serializers import ErrorSerializer

ERROR_DESCRIPTIONS = {
    400: "Invalid input: malformed JSON, wrong types, unknown or read-only fields, bad query "
    "parameters (filters, ordering, page size).",
    401: "Missing or invalid credentials.",
    403: "Your role does not allow this operation.",
    404: "No such resource (or not visible to you).",
    406: "The Accept header asks for a format this endpoint cannot produce.",
    409: "The claim is not in a state that allows this change.",
    412: "If-Match does not match the current ETag: someone saved in between.",
    413: "The request body is over 1 MiB.",
    415: "Send JSON (Content-Type: application/json).",
    428: "If-Match is required to edit a claim.",
    429: "Too many requests; retry later.",
}
BODY_METHODS = {"POST", "PUT", "PATCH"}


class ClaimdeskAutoSchema(AutoSchema):
    def _error_statuses(self) -> list[int]:
        statuses = [400, 401, 403, 404, 406]
        if self.method in BODY_METHODS:
            statuses += [413, 415]
        action = getattr(self.view, "action", None)
        statuses += getattr(self.view, "extra_error_statuses", {}).get(action, [])
        return statuses

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status in self._error_statuses():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[status]),
                    str(status),
                    direction=direction,
                )
        return responses
