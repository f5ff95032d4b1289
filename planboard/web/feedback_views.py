"""A strategy's feedback, for the governance team: the list with its filters and the
loop's figures, and the form to record a single item.

Feedback is recorded, answered, linked and published by the governance team
(``require_feedback_rights``), so these pages are theirs alone; they are the only
pages that show the source's staff-only fields (Care Opinion's criticality). Every
write is a service of ``planboard.feedback``.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from planboard.feedback.metrics import loop_figures
from planboard.feedback.models import FeedbackItem, LoopState, Service
from planboard.feedback.services import record_item
from planboard.lib.services import ServiceError
from planboard.plans.models import Action, Commitment
from planboard.web.feedback_forms import FeedbackFilterForm, ItemForm, quarters_of
from planboard.web.feedback_queue import queue_counts
from planboard.web.people_edit_views import governed_strategy

DOING = "see and record the strategy's feedback"
PAGE_SIZE = 50


def listed(items):
    """``items`` with what the list shows of each, in a fixed number of queries."""
    return items.select_related("publication").prefetch_related(
        "services",
        Prefetch("actions", queryset=Action.objects.select_related("theme")),
        Prefetch("commitments", queryset=Commitment.objects.select_related("theme")),
    )


def shown(item):
    """Mark ``item`` with the day it reached the trust and whether it is published."""
    reached = item.published_at or item.received_at
    item.reached_on = timezone.localtime(reached).date()
    publication = getattr(item, "publication", None)
    item.publication_record = publication
    item.is_published = bool(publication and publication.is_published)
    return item


def paged(request, items, size) -> dict:
    """A page of ``items`` (the page asked for in the address) marked with ``shown``,
    and the address's filters without the page, for the links to the next pages."""
    page = Paginator(listed(items), size).get_page(request.GET.get("page"))
    for item in page.object_list:
        shown(item)
    kept = request.GET.copy()
    kept.pop("page", None)
    return {"page": page, "filters": kept.urlencode(), "filtered": bool(kept)}


def figure_rows(figures) -> list[list]:
    """The loop's figures as the rows of the metrics table."""
    rows = []
    for row in figures:
        median = row.median_days_to_respond
        share = row.share_changed
        positive = row.fft_share_positive
        rows.append(
            [
                row.quarter,
                row.service.name if row.service else "Whole strategy",
                row.received,
                "No responses" if median is None else f"{median:g}",
                "No responses"
                if share is None
                else f"{share:.0%} ({row.concern_responses_changed} of {row.concern_responses})",
                row.changes_made,
                "No answers"
                if positive is None
                else f"{positive:.0%} ({row.fft_positive} of {row.fft_answers})",
            ]
        )
    return rows


@require_GET
def feedback(request, slug):
    strategy = governed_strategy(request, slug, DOING)
    services = list(Service.objects.filter(strategy=strategy))
    form = FeedbackFilterForm(
        request.GET or None, strategy=strategy, services=services, quarters=quarters_of(strategy)
    )
    items = form.filtered(FeedbackItem.objects.filter(strategy=strategy))
    context = {
        "strategy": strategy,
        "section": "feedback",
        "form": form,
        **paged(request, items, PAGE_SIZE),
        "figures": figure_rows(loop_figures(strategy)),
        "loop_labels": dict(LoopState.choices),
        "queue": queue_counts(strategy),
    }
    return render(request, "web/feedback/list.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def record_feedback(request, slug):
    strategy = governed_strategy(request, slug, DOING)
    services = Service.objects.filter(strategy=strategy)
    form = ItemForm(request.POST if request.method == "POST" else None, services=services)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                recorded = record_item(strategy, user=request.user, **form.values())
            except ServiceError as error:
                form.show_service_error(error)
            else:
                done = "recorded" if recorded.created else "brought up to date"
                messages.success(request, f"The feedback is {done}.")
                return redirect("feedback_item", slug=slug, pk=recorded.item.pk)
    context = {"strategy": strategy, "section": "feedback", "form": form}
    return render(request, "web/feedback/record.html", context, status=status)
