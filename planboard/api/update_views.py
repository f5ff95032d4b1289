"""Giving and reviewing updates through the API: thin views over the cycle's services.

Each view finds what its address names (404), asks the permission rule the service
asks (403, in the rule's own sentence), checks the body with the services' checks (400,
naming every field), and makes one service call. A version that has moved on is a 409
with ``current``, the update as it now is; a refusal that names no field is about the
state of the period or the update, not the request (no open period, a closed period,
an update already accepted), and is a 409 too.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from planboard.api import schema  # noqa: F401 - names the bearer token in the document
from planboard.api.problems import MEDIA_TYPE, TYPES, Conflict, Problem, ProblemDocument
from planboard.api.update_serializers import (
    AcceptDecision,
    ConflictProblem,
    MissingUpdateProblem,
    ReturnDecision,
    UpdateFilters,
    UpdateOut,
    UpdateSubmission,
)
from planboard.people.permissions import require_review_rights, require_update_rights
from planboard.plans.models import Action, Strategy
from planboard.progress.models import Update, UpdateStatus
from planboard.progress.periods import period_slug
from planboard.progress.services import (
    CycleError,
    EditConflict,
    accept_update,
    current_period,
    return_update,
    submit_update,
)

NOT_NOW = TYPES + "not-possible-now"
# The fields the services name, as the API names them.
SUBMITTED_FIELDS = {
    "proposed_rag": "proposed_rating",
    "reason": "target_change_reason",
    "new_target_date": "new_target_date",
    "narrative": "narrative",
}
REVIEWED_FIELDS = {
    "proposed_rag": "adjusted_rating",
    "adjusted_rag": "adjusted_rating",
    "new_target_date": "adjusted_target_date",
    "adjusted_target_date": "adjusted_target_date",
    "reason": "adjustment_reason",
    "adjustment_reason": "adjustment_reason",
    "comment": "comment",
}
UPDATES = Update.objects.select_related(
    "action__theme", "period", "proposed_rag", "adjusted_rag", "submitted_by", "reviewed_by"
)


def _problems(*codes, missing=ProblemDocument, conflict=ProblemDocument) -> dict:
    """The problem responses an operation may answer, for its schema."""
    described = {
        400: ("The request is not valid: `errors` names each field.", ProblemDocument),
        401: ("No token, or one that is not valid.", ProblemDocument),
        403: ("The token or its account may not do this.", ProblemDocument),
        404: ("Nothing is at this address.", missing),
        409: ("The update or its period has moved on.", conflict),
    }
    return {
        (code, MEDIA_TYPE): OpenApiResponse(described[code][1], described[code][0])
        for code in codes
    }


# What an address names, or a 404 problem saying what is missing.


def _strategy(slug):
    strategy = Strategy.objects.filter(slug=slug).first()
    if strategy is None:
        raise exceptions.NotFound(f"There is no strategy {slug}.")
    return strategy


def _period(strategy, slug):
    for period in strategy.periods.all():
        if period_slug(period.label) == slug:
            return period
    raise exceptions.NotFound(f"{strategy.title} has no reporting period {slug}.")


def _action(strategy, ref):
    theme_number, number = ref
    actions = Action.objects.for_strategy(strategy).in_plan().select_related("theme")
    action = actions.filter(theme__number=theme_number, number=number).first()
    if action is None:
        raise exceptions.NotFound(f"{strategy.title} has no action {theme_number}.{number}.")
    action.theme.strategy = strategy
    return action


def _context(request, strategy) -> dict:
    def address(action):
        kwargs = {"slug": strategy.slug, "ref": action.ref}
        return reverse("api:action_update", kwargs=kwargs, request=request)

    def action_address(action):
        kwargs = {"slug": strategy.slug, "ref": action.ref}
        return reverse("api:action", kwargs=kwargs, request=request)

    return {"request": request, "address": address, "action_address": action_address}


def _conflict(conflict, context):
    current = UPDATES.filter(pk=conflict.current.pk).first() if conflict.current else None
    shown = UpdateOut(current, context=context).data if current else None
    return Conflict(str(conflict), current=shown)


def _refusal(error, fields):
    """A service's refusal: 400 about the field it names, else 409 about the state."""
    if error.field is None:
        refusal = Problem(str(error), status_code=409)
        refusal.problem_type = NOT_NOW
        return refusal
    return serializers.ValidationError({fields.get(error.field, error.field): [str(error)]})


class PeriodUpdates(generics.ListAPIView):
    """Every update of a period, in plan order: filter by ``status`` and ``theme``."""

    serializer_class = UpdateOut

    @extend_schema(
        operation_id="period_updates",
        parameters=[
            OpenApiParameter(
                "status", str, enum=UpdateStatus.values, description="Only updates in this status."
            ),
            OpenApiParameter(
                "theme",
                {"type": "integer", "minimum": 1, "maximum": 9999},
                description="Only updates on this theme's actions, by the theme's number.",
            ),
        ],
        responses={200: UpdateOut(many=True), **_problems(400, 401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.strategy = strategy = _strategy(self.kwargs["slug"])
        period = _period(strategy, self.kwargs["period"])
        filters = UpdateFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        updates = UPDATES.filter(period=period)
        if "status" in filters.validated_data:
            updates = updates.filter(status=filters.validated_data["status"])
        if "theme" in filters.validated_data:
            updates = updates.filter(action__theme__number=filters.validated_data["theme"])
        return updates

    def get_serializer_context(self):
        return _context(self.request, self.strategy)


class ActionUpdate(APIView):
    """The action's update in the open period."""

    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="action_update",
        description="The action's update in the open period (404 naming the period when none).",
        responses={200: UpdateOut, **_problems(401, 404, missing=MissingUpdateProblem)},
    )
    def get(self, request, slug, ref):
        strategy = _strategy(slug)
        action = _action(strategy, ref)
        period = current_period(strategy)
        update = UPDATES.filter(action=action, period=period).first() if period else None
        if update is None:
            raise _missing(strategy, action, period)
        return Response(UpdateOut(update, context=_context(request, strategy)).data)

    @extend_schema(
        operation_id="submit_update",
        description=(
            "Give or give again the action's update in the open period, with the version "
            "read (0 for a new update). Its leads and the governance team may."
        ),
        request=UpdateSubmission,
        responses={
            200: UpdateOut,
            **_problems(400, 401, 403, 404, 409, conflict=ConflictProblem),
        },
    )
    def put(self, request, slug, ref):
        strategy = _strategy(slug)
        action = _action(strategy, ref)
        require_update_rights(request.user, action)
        period = current_period(strategy)
        if period is None:
            raise _no_open_period(strategy)
        levels = strategy.rag_levels.all()
        body = UpdateSubmission(data=request.data, context={"action": action, "levels": levels})
        body.is_valid(raise_exception=True)
        context = _context(request, strategy)
        try:
            update = submit_update(action, user=request.user, period=period, **body.submission())
        except EditConflict as conflict:
            raise _conflict(conflict, context) from None
        except CycleError as error:
            raise _refusal(error, SUBMITTED_FIELDS) from None
        return Response(UpdateOut(UPDATES.get(pk=update.pk), context=context).data)


def _no_open_period(strategy):
    refusal = Problem(
        f"{strategy.title} has no open reporting period, so no update can be given now.",
        status_code=409,
    )
    refusal.problem_type = NOT_NOW
    return refusal


def _missing(strategy, action, period):
    if period is None:
        detail = (
            f"{strategy.title} has no open reporting period, so action {action.ref} has no update."
        )
        return Problem(detail, status_code=404, open_period=None)
    detail = f"Action {action.ref} has no update for {period.label} yet."
    return Problem(detail, status_code=404, open_period=period_slug(period.label))


class Decision(APIView):
    """A governance decision on one update of a period; each kind says how (``decide``)."""

    parser_classes = [JSONParser]

    body_class = None
    fields = REVIEWED_FIELDS

    def post(self, request, slug, period, ref):
        strategy = _strategy(slug)
        period = _period(strategy, period)
        action = _action(strategy, ref)
        update = UPDATES.filter(action=action, period=period).first()
        if update is None:
            raise exceptions.NotFound(f"Action {action.ref} has no update for {period.label}.")
        update.action.theme.strategy = strategy
        require_review_rights(request.user, update)
        levels = strategy.rag_levels.all()
        body = self.body_class(data=request.data, context={"action": action, "levels": levels})
        body.is_valid(raise_exception=True)
        context = _context(request, strategy)
        try:
            self.decide(update, request.user, body)
        except EditConflict as conflict:
            raise _conflict(conflict, context) from None
        except CycleError as error:
            raise _refusal(error, self.fields) from None
        return Response(UpdateOut(UPDATES.get(pk=update.pk), context=context).data)


DECISION_RESPONSES = {
    200: UpdateOut,
    **_problems(400, 401, 403, 404, 409, conflict=ConflictProblem),
}


class AcceptUpdate(Decision):
    body_class = AcceptDecision

    def decide(self, update, user, body):
        accept_update(update, user=user, **body.decision())

    @extend_schema(
        operation_id="accept_update", request=AcceptDecision, responses=DECISION_RESPONSES
    )
    def post(self, request, slug, period, ref):
        return super().post(request, slug, period, ref)


class ReturnUpdate(Decision):
    body_class = ReturnDecision

    def decide(self, update, user, body):
        data = body.validated_data
        return_update(update, user=user, comment=data["comment"], expected_version=data["version"])

    @extend_schema(
        operation_id="return_update", request=ReturnDecision, responses=DECISION_RESPONSES
    )
    def post(self, request, slug, period, ref):
        return super().post(request, slug, period, ref)
