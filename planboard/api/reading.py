"""Reading the plan and its quarterly record: strategies, themes, commitments, actions,
periods, their findings and their paper files.

Everyone signed in reads every plan on the web, so any token reads every strategy here.
Each list costs the same number of queries whatever its length.
"""

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from planboard.api import schema  # noqa: F401 - names the bearer token in the document
from planboard.api import serializers as shapes
from planboard.api.authentication import BearerToken
from planboard.api.filters import ActionFilter, filter_actions
from planboard.api.problems import MEDIA_TYPE, ProblemDocument
from planboard.lib import clock
from planboard.papers.formats import FORMATS
from planboard.papers.models import GeneratedPaper
from planboard.people.models import Role
from planboard.plans.models import Action, Commitment, Strategy
from planboard.progress.checker import check_report
from planboard.progress.models import PeriodRecord
from planboard.progress.periods import period_slug

WHY = {
    400: "A query parameter is not valid: `errors` names it.",
    401: "No token, or one that is wrong, revoked or expired.",
    404: "No such strategy, action, period or file, or no such page of the list.",
}


def problems(*codes) -> dict:
    """The problem documents an operation may answer, for its schema."""
    return {
        (code, MEDIA_TYPE): OpenApiResponse(ProblemDocument, description=WHY[code])
        for code in codes
    }


def strategy_from(view) -> Strategy:
    return get_object_or_404(Strategy, slug=view.kwargs["slug"])


def period_from(strategy, slug):
    """The strategy's period whose label reads as ``slug`` in an address, or 404."""
    for period in strategy.periods.all():
        if period_slug(period.label) == slug:
            return period
    raise Http404("No such reporting period.")


def period_findings(strategy, period) -> dict:
    """The findings a period's paper prints: recorded as it closed, else checked now on
    its last day."""
    if period.is_closed:
        record = PeriodRecord.objects.filter(period=period).first()
        if record is not None:
            found = record.content["findings"]
            return {"as_of": period.ends_on, "recorded": True, "findings": found}
    found = check_report(strategy, period.ends_on)["findings"]
    return {"as_of": period.ends_on, "recorded": False, "findings": found}


class StrategyScoped:
    """A read about one strategy, named by the ``slug`` in its address."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["strategy"] = getattr(self, "strategy", None)
        context["today"] = clock.today()
        return context

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.strategy = strategy_from(self)


@extend_schema(responses={200: shapes.StrategySerializer, **problems(401, 404)})
class StrategyList(generics.ListAPIView):
    serializer_class = shapes.StrategySerializer
    queryset = Strategy.objects.order_by("title", "pk")


@extend_schema(responses={200: shapes.StrategySerializer, **problems(401, 404)})
class StrategyDetail(StrategyScoped, generics.GenericAPIView):
    serializer_class = shapes.StrategySerializer

    def get(self, request, slug):
        return Response(self.get_serializer(self.strategy).data)


@extend_schema(responses={200: shapes.ThemeSerializer, **problems(401, 404)})
class ThemeList(StrategyScoped, generics.ListAPIView):
    serializer_class = shapes.ThemeSerializer

    def get_queryset(self):
        in_plan = Commitment.objects.filter(retired_on__isnull=True).select_related("theme")
        return self.strategy.themes.order_by("number").prefetch_related(
            Prefetch("commitments", in_plan)
        )


@extend_schema(responses={200: shapes.CommitmentSerializer, **problems(401, 404)})
class CommitmentList(StrategyScoped, generics.ListAPIView):
    serializer_class = shapes.CommitmentSerializer

    def get_queryset(self):
        serving = Action.objects.in_plan().select_related("theme").in_plan_order()
        return (
            Commitment.objects.filter(theme__strategy=self.strategy)
            .select_related("theme")
            .prefetch_related(Prefetch("actions", serving))
            .order_by("theme__number", "number")
        )


def with_action_relations(actions):
    """Everything an action reads as, in a fixed number of queries."""
    return actions.select_related("theme", "area", "rag_level").prefetch_related(
        Prefetch("leads", Role.objects.order_by("pk")),
        Prefetch("commitments", Commitment.objects.select_related("theme")),
    )


@extend_schema(
    parameters=[ActionFilter],
    responses={200: shapes.ActionSerializer, **problems(400, 401, 404)},
)
class ActionList(StrategyScoped, generics.ListAPIView):
    """The actions still in the plan, in plan order, narrowed by the filters given."""

    serializer_class = shapes.ActionSerializer

    def get_queryset(self):
        actions = Action.objects.for_strategy(self.strategy).in_plan()
        actions = filter_actions(actions, self.request.query_params, clock.today())
        return with_action_relations(actions).in_plan_order()


@extend_schema(responses={200: shapes.ActionSerializer, **problems(401, 404)})
class ActionDetail(StrategyScoped, generics.GenericAPIView):
    """One action, also once it has left the plan (its ``retired_on`` is set)."""

    serializer_class = shapes.ActionSerializer

    def get(self, request, slug, ref):
        theme_number, number = ref
        actions = with_action_relations(Action.objects.for_strategy(self.strategy))
        action = get_object_or_404(actions, theme__number=theme_number, number=number)
        return Response(self.get_serializer(action).data)


@extend_schema(responses={200: shapes.PeriodSerializer, **problems(401, 404)})
class PeriodList(StrategyScoped, generics.ListAPIView):
    """The strategy's reporting periods, the latest first."""

    serializer_class = shapes.PeriodSerializer

    def get_queryset(self):
        return self.strategy.periods.order_by("-starts_on")


@extend_schema(responses={200: shapes.PeriodSerializer, **problems(401, 404)})
class PeriodDetail(StrategyScoped, generics.GenericAPIView):
    serializer_class = shapes.PeriodSerializer

    def get(self, request, slug, period):
        return Response(self.get_serializer(period_from(self.strategy, period)).data)


@extend_schema(responses={200: shapes.FindingsSerializer, **problems(401, 404)})
class FindingList(StrategyScoped, generics.GenericAPIView):
    """The period's findings: those recorded as it closed, else the plan's as it stands,
    checked on the period's last day (the findings its paper prints)."""

    serializer_class = shapes.FindingsSerializer
    pagination_class = None

    def get(self, request, slug, period):
        found = period_from(self.strategy, period)
        return Response(self.get_serializer(period_findings(self.strategy, found)).data)


@extend_schema(responses={200: shapes.PaperFileSerializer, **problems(401, 404)})
class PaperFileList(StrategyScoped, generics.ListAPIView):
    """The paper files made for the period, the latest first, and those being made."""

    serializer_class = shapes.PaperFileSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "period": getattr(self, "period", None)}

    def get_queryset(self):
        self.period = period_from(self.strategy, self.kwargs["period"])
        return GeneratedPaper.objects.filter(period=self.period).defer("content")


@extend_schema(
    responses={
        **{(200, f.content_type): OpenApiTypes.BINARY for f in FORMATS.values()},
        **problems(401, 404),
    }
)
class PaperFileDownload(StrategyScoped, APIView):
    """A paper file's bytes, always as a download."""

    def get(self, request, slug, period, pk):
        found = period_from(self.strategy, period)
        paper = get_object_or_404(GeneratedPaper, pk=pk, period=found)
        if not paper.is_ready:
            raise Http404("This file is not ready.")
        if paper.content is None:
            raise Http404("This file is not kept here: make the paper again.")
        response = HttpResponse(
            bytes(paper.content), content_type=FORMATS[paper.format].content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{paper.filename}"'
        return response


class SignedInReading(SessionAuthentication):
    """A signed-in session, for reading only: with any other method it signs nobody in,
    so a forged post is refused as not signed in."""

    def authenticate(self, request):
        if request.method not in SAFE_METHODS:
            return None
        return super().authenticate(request)


class OpenApiDocument(SpectacularJSONAPIView):
    """The OpenAPI document, for a token or for someone signed in: the page describing
    the API links to it. Every other address of the API takes a token only."""

    authentication_classes = [BearerToken, SignedInReading]
