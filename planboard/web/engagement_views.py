"""The activity register, an activity's page, and the outcomes not yet fed back.

Every signed-in account reads the register and the activities (aggregate counts only:
the private register of people is elsewhere, for its circle). The register's filters
are the map's (``engagement.mapping.filtered``), with a search, a directorate and a
commitment counted as the map counts them, so a cell's link lists exactly its
activities. Each page is read in a fixed number of queries.
"""

import datetime

from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from planboard.engagement import mapping
from planboard.engagement.models import Activity, Kind, Level, Participation, Recurrence
from planboard.feedback.models import Service
from planboard.lib import clock
from planboard.people.permissions import (
    is_governance,
    may_edit_activity,
    may_see_register,
    require_engagement_rights,
)
from planboard.plans.models import Action, Commitment, Strategy
from planboard.web.engagement_filters import TRUST
from planboard.web.engagement_forms import ActivityFilterForm
from planboard.web.feedback_views import PAGE_SIZE

NOT_FED_BACK_DAYS = 30
KINDS = dict(Kind.choices)
RECURRENCES = dict(Recurrence.choices)


def level_of(value):
    """A level of involvement as the tag macros read it: its label and its colour."""
    level = Level(value)
    return {"label": level.label, "colour": level.colour}


def searched(activities, text: str):
    for word in text.split():
        activities = activities.filter(
            Q(title__icontains=word) | Q(purpose__icontains=word) | Q(outcome__icontains=word)
        )
    return activities


def register_of(strategy, form):
    """The activities the register's filters keep, newest first."""
    found = mapping.filtered(strategy, form.filters())
    if form.is_valid():
        chosen = form.cleaned_data
        if chosen["q"].strip():
            found = searched(found, chosen["q"])
        if directorate := chosen["directorate"]:
            row = None if directorate == TRUST else int(directorate)
            found = mapping.in_row(found, strategy, row)
        if chosen["commitment"]:
            found = mapping.serving(found, int(chosen["commitment"]))
    return found.order_by("-starts_on", "title", "pk")


def participants():
    """Everyone who took part in the activity, as a subquery (no join, no duplicates)."""
    counted = Participation.objects.filter(activity=OuterRef("pk")).values("activity")
    return Coalesce(Subquery(counted.annotate(total=Sum("count")).values("total")), 0)


def listed(activities):
    """``activities`` with what the register shows of each, in a fixed number of queries."""
    return activities.annotate(participants=participants()).prefetch_related(
        Prefetch("services", Service.objects.order_by("name"))
    )


def in_plan_commitments(strategy):
    return (
        Commitment.objects.filter(theme__strategy=strategy, retired_on__isnull=True)
        .select_related("theme")
        .order_by("theme__number", "number")
    )


def _page(request, activities):
    """A page of ``activities`` (as ``feedback_views.paged`` pages feedback) and the
    address's filters without the page, for the links to the next pages."""
    page = Paginator(listed(activities), PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return {"page": page, "filters": kept.urlencode(), "filtered": bool(kept)}


def _strategy(slug):
    return get_object_or_404(Strategy, slug=slug)


@require_GET
def activities(request, slug):
    strategy = _strategy(slug)
    rows, _ = mapping.directorates(strategy)
    form = ActivityFilterForm(
        request.GET or None,
        strategy=strategy,
        rows=rows,
        commitments=list(in_plan_commitments(strategy)),
    )
    context = {
        "strategy": strategy,
        "section": "engagement",
        "form": form,
        **_page(request, register_of(strategy, form)),
        "kinds": KINDS,
        "level_of": level_of,
        "may_add": is_governance(request.user),
    }
    status = 400 if form.errors else 200
    return render(request, "web/engagement/activity_list.html", context, status=status)


def shown_activity(strategy, pk):
    """Activity ``pk`` of ``strategy`` with everything its page shows (404 for another
    strategy's), in a fixed number of queries."""
    found = Activity.objects.filter(strategy=strategy).select_related("lead")
    return get_object_or_404(
        found.prefetch_related(
            Prefetch("services", Service.objects.select_related("parent").order_by("name")),
            Prefetch("commitments", Commitment.objects.select_related("theme")),
            Prefetch("actions", Action.objects.select_related("theme")),
            "participation",
            "equality_counts",
        ),
        pk=pk,
    )


@require_GET
def activity(request, slug, pk):
    strategy = _strategy(slug)
    found = shown_activity(strategy, pk)
    found.strategy = strategy
    participation = list(found.participation.all())
    context = {
        "strategy": strategy,
        "section": "engagement",
        "activity": found,
        "kind": KINDS[found.kind],
        "recurrence": RECURRENCES[found.recurrence],
        "level": level_of(found.level),
        "participation": participation,
        "participants": sum(row.count for row in participation),
        "equality": list(found.equality_counts.all()),
        "may_edit": may_edit_activity(request.user, found),
        "may_see_register": may_see_register(request.user, found),
    }
    return render(request, "web/engagement/activity.html", context)


@require_GET
def not_fed_back(request, slug):
    strategy = _strategy(slug)
    require_engagement_rights(request.user, "see the outcomes not yet fed back")
    cutoff = clock.today() - datetime.timedelta(days=NOT_FED_BACK_DAYS)
    mine = Activity.objects.filter(strategy=strategy).select_related("lead")
    waiting = mine.exclude(outcome="").filter(fed_back_on__isnull=True)
    waiting = waiting.annotate(ended=Coalesce("ends_on", "starts_on"))
    no_outcome = mine.filter(outcome="", ends_on__lt=cutoff)
    context = {
        "strategy": strategy,
        "section": "engagement",
        "waiting": list(waiting.order_by("ended", "title", "pk")),
        "no_outcome": list(no_outcome.order_by("ends_on", "title", "pk")),
        "days": NOT_FED_BACK_DAYS,
        "level_of": level_of,
    }
    return render(request, "web/engagement/not_fed_back.html", context)
