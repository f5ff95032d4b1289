"""How many requests one token may send in a minute: a script that loops must not take
the server from the people using the pages.

Requests are counted per token (not per address: many programs may share one proxy,
and one program may move between addresses) in the current clock minute, on the
token's own row (``ApiToken.minute`` and ``requests_this_minute``), so the limit holds
across every gunicorn worker and every server that answers the API, as the public
page's request limit does (planboard/public/throttle.py); a count kept in each
worker's memory would let each of them allow the limit on its own.

Taking a turn is one conditional UPDATE, which the database runs atomically: a new
minute starts the count again at one, and within a minute the count goes up only while
it is below the limit, so two workers can never both take the last turn. A request
refused at the limit is not counted.
"""

from django.conf import settings
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from rest_framework import exceptions, throttling

from planboard.api.models import ApiToken
from planboard.api.tokens import record_use
from planboard.lib.services import service
from planboard.people.permissions import planboard_itself


def current_minute():
    return timezone.now().replace(second=0, microsecond=0)


@service
def take_turn(token: ApiToken, address: str | None = None) -> bool:
    """Count one more request with ``token`` this minute, unless it has already sent
    ``API_RATE_PER_MINUTE``, and note the use (when, and from ``address``) in the same
    statement; whether it was counted. A refused request is still noted as a use."""
    planboard_itself("count a token's requests")
    minute = current_minute()
    now = timezone.now()
    taken = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(
            Q(minute__isnull=True)
            | ~Q(minute=minute)
            | Q(requests_this_minute__lt=settings.API_RATE_PER_MINUTE)
        )
        .update(
            requests_this_minute=Case(
                When(minute=minute, then=F("requests_this_minute") + 1), default=Value(1)
            ),
            minute=minute,
            last_used_at=now,
            last_used_from=address or None,
        )
    )
    if not taken:
        record_use(token, address)
        return False
    token.last_used_at, token.last_used_from = now, address or None
    return True


def seconds_to_next_minute() -> int:
    """Whole seconds until the count starts again, from 1 to 60."""
    return 60 - timezone.now().second


class PerToken(throttling.BaseThrottle):
    """DRF's throttle, keyed on the token the request was authenticated with.

    A request without a token is refused before throttles are asked (401), so only
    tokens are counted. A throttled request is a 429 problem document with
    ``Retry-After``, the seconds until the next minute starts.
    """

    def allow_request(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken) or take_turn(token, token.used_from):
            return True
        wait = seconds_to_next_minute()
        raise exceptions.Throttled(
            wait=wait,
            detail=(
                f"This token has sent {settings.API_RATE_PER_MINUTE} requests this minute, "
                "as many as one token may."
            ),
        )


def document_throttling(result, generator, request, public):
    """drf-spectacular's post-processing hook: every operation may answer 429."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    if "ProblemDocument" in schemas:
        body = {"$ref": "#/components/schemas/ProblemDocument"}
    else:
        body = {"type": "object", "additionalProperties": True}
    too_many = {
        "description": "Too many requests with this token this minute.",
        "headers": {
            "Retry-After": {
                "description": "Seconds until the token may send again.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 60},
            }
        },
        "content": {"application/problem+json": {"schema": body}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", too_many)
    return result
