"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API answers is one JSON object: ``type`` (a URI naming the kind of
problem, ``about:blank`` when the status says it all), ``title`` (the status's short
phrase), ``status``, ``detail`` (one sentence for a person) and, where they help,
extension members: ``errors`` (for a request that is not valid: each with the
``field`` and its ``detail``) and ``current`` (for a conflict: the record as it now is).
"""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler

from planboard.lib.services import ServiceError

MEDIA_TYPE = "application/problem+json"
TYPES = "https://planboard.example/problems/"  # only a name: nothing is served there


class Problem(exceptions.APIException):
    """An API error with a problem type of its own and extension members."""

    status_code = status.HTTP_400_BAD_REQUEST
    problem_type = "about:blank"

    def __init__(self, detail: str, *, status_code: int | None = None, **extensions):
        super().__init__(detail)
        if status_code is not None:
            self.status_code = status_code
        self.extensions = extensions


class Conflict(Problem):
    """The record changed since the client read it: ``current`` is how it is now."""

    status_code = status.HTTP_409_CONFLICT
    problem_type = TYPES + "edit-conflict"


def _errors(detail, prefix="") -> list[dict]:
    """A serializer's nested errors as a flat list of ``{"field", "detail"}``."""
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            field = key if key != "non_field_errors" else ""
            found += _errors(value, f"{prefix}.{field}" if prefix and field else prefix or field)
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                found += _errors(value, f"{prefix}[{index}]")
            else:
                found.append({"field": prefix or None, "detail": str(value)})
        return found
    return [{"field": prefix or None, "detail": str(detail)}]


def problem(status_code: int, detail: str, problem_type: str = "about:blank", **extensions):
    """The body of a problem response."""
    body = {
        "type": problem_type,
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
    }
    body.update(extensions)
    return body


def handle(exc, context):
    """DRF's exception handler, answering with problem details."""
    if isinstance(exc, ServiceError):
        field = exc.field
        exc = exceptions.ValidationError({field: [str(exc)]} if field else [str(exc)])
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    extensions = dict(getattr(exc, "extensions", {}))
    problem_type = getattr(exc, "problem_type", "about:blank")
    if isinstance(exc, exceptions.ValidationError):
        errors = _errors(exc.detail)
        detail = errors[0]["detail"] if len(errors) == 1 else "The request is not valid."
        if len(errors) == 1 and errors[0]["field"]:
            detail = f"{errors[0]['field']}: {detail}"
        extensions["errors"] = errors
        problem_type = TYPES + "invalid-request"
    else:
        detail = str(exc.detail)
    response.data = problem(response.status_code, detail, problem_type, **extensions)
    response.content_type = MEDIA_TYPE
    return response


class FieldError(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    detail = serializers.CharField()


class ProblemDocument(serializers.Serializer):
    """A problem document, for the OpenAPI document's error responses."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = FieldError(many=True, required=False)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """Django's 404 for an address nothing answers: a problem document under /api/, the
    site's page elsewhere."""
    if _is_api(request):
        detail = "There is nothing at this address in the API: see /api/v1/openapi.json."
        return JsonResponse(problem(404, detail), status=404, content_type=MEDIA_TYPE)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """Django's 500: a problem document under /api/, the site's page elsewhere."""
    if _is_api(request):
        detail = "Something went wrong on the server. It has been logged; please try again later."
        return JsonResponse(problem(500, detail), status=500, content_type=MEDIA_TYPE)
    return defaults.server_error(request)
