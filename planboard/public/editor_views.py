"""Governance's pages for the public page: publishing, public summaries and requests.

Only the governance team may use them. Each summary is shown with its reading ease,
and the "Check reading ease" button scores a draft without saving it, so the score is
there without JavaScript.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from planboard.people.permissions import require_governance
from planboard.plans.models import Action, Commitment, Strategy, Theme
from planboard.public import publishing, requests, wording
from planboard.public.forms import SummaryForm
from planboard.public.models import InformationRequest
from planboard.public.readability import readability
from planboard.public.summaries import summary_rows


def _governance_strategy(request, slug) -> Strategy:
    strategy = get_object_or_404(Strategy, slug=slug)
    require_governance(request.user, "change the public page")
    return strategy


@require_http_methods(["GET"])
def publishing_page(request, slug):
    strategy = _governance_strategy(request, slug)
    themes = list(strategy.themes.order_by("number").select_related("publication"))
    rows = summary_rows(strategy)
    publication = publishing.publication_of(strategy)
    theme_summaries = [(theme, _summary(theme)) for theme in themes]
    context = {
        "strategy": strategy,
        "section": "public",
        "publication": publication,
        "strategy_readability": readability(publication.summary),
        "themes": [(theme, summary, readability(summary)) for theme, summary in theme_summaries],
        "rows": rows,
        "missing": [row for row in rows if not row.summary],
        "hard": [row for row in rows if row.readability and row.readability.is_hard],
        "outside_key": [row for row in rows if row.published and row.rated_outside_key],
        "waiting": wording.waiting(strategy),
        "open_requests": InformationRequest.objects.filter(
            strategy=strategy, answered_at__isnull=True
        ).count(),
    }
    return render(request, "public/publishing.html", context)


def _summary(owner) -> str:
    publication = getattr(owner, "publication", None)
    return publication.summary if publication is not None else ""


@require_http_methods(["GET", "POST"])
def edit_strategy(request, slug):
    strategy = _governance_strategy(request, slug)
    return _edit(
        request,
        strategy,
        record=publishing.publication_of(strategy),
        what="the strategy",
        heading="What the strategy is for",
        save=lambda values, version: publishing.save_strategy_publication(
            strategy, version=version, user=request.user, **values
        ),
    )


@require_http_methods(["GET", "POST"])
def edit_theme(request, slug, number):
    strategy = _governance_strategy(request, slug)
    theme = get_object_or_404(Theme, strategy=strategy, number=number)
    return _edit(
        request,
        strategy,
        record=publishing.theme_publication_of(theme),
        what=f"theme {theme.number}",
        heading=f"Theme {theme.number}: {theme.title}",
        save=lambda values, version: publishing.save_theme_summary(
            theme, summary=values["summary"], version=version, user=request.user
        ),
        can_publish=False,
        internal=theme.commitments.order_by("number"),
    )


@require_http_methods(["GET", "POST"])
def edit_action(request, slug, ref):
    strategy = _governance_strategy(request, slug)
    theme_number, number = ref
    action = get_object_or_404(
        Action.objects.for_strategy(strategy).select_related("theme"),
        theme__number=theme_number,
        number=number,
    )
    return _edit(
        request,
        strategy,
        record=publishing.action_publication_of(action),
        what=f"action {action.ref}",
        heading=f"Action {action.ref}",
        save=lambda values, version: publishing.save_action_publication(
            action, version=version, user=request.user, **values
        ),
        action=action,
    )


def _edit(request, strategy, *, record, what, heading, save, can_publish=True, back=None, **extra):
    """The edit page of one public text: show, check the reading ease, or save; then
    back to ``back`` (the publishing page unless given)."""
    back = back or reverse("publishing", kwargs={"slug": strategy.slug})
    extra["back"] = back
    if request.method == "GET":
        form = SummaryForm(
            initial=SummaryForm.initial_for(record), what=what, can_publish=can_publish
        )
        return _edit_page(request, strategy, form, record, heading, extra)
    form = SummaryForm(request.POST, what=what, can_publish=can_publish)
    if "check" in request.POST or not form.is_valid():
        status = 200 if "check" in request.POST and not form.errors else 400
        return _edit_page(request, strategy, form, record, heading, extra, status=status)
    values = {"summary": form.cleaned_data["summary"]}
    if can_publish:
        values["published"] = form.cleaned_data["published"]
    try:
        save(values, form.cleaned_data["version"] or 0)
    except publishing.PublicationConflict as conflict:
        return _edit_page(
            request, strategy, form, record, heading, extra, current=conflict.current, status=409
        )
    except publishing.PublicationError as error:
        form.show_service_error(error)
        return _edit_page(request, strategy, form, record, heading, extra, status=400)
    messages.success(request, f"The public summary of {what} is saved.")
    return redirect(back)


def _edit_page(request, strategy, form, record, heading, extra, current=None, status=200):
    if current is not None:
        # The form keeps what was typed; saving it again now replaces ``current`` knowingly.
        form.data = form.data.copy()
        form.data["version"] = str(current.version)
    draft = form.data.get("summary", "") if form.is_bound else form.initial.get("summary", "")
    context = {
        "strategy": strategy,
        "section": "public",
        "form": form,
        "heading": heading,
        "current": current,
        "readability": readability(draft),
        **extra,
    }
    return render(request, "public/edit_summary.html", context, status=status)


@require_POST
def publish_theme_wording(request, slug, number):
    strategy = _governance_strategy(request, slug)
    theme = get_object_or_404(Theme, strategy=strategy, number=number)
    wording.publish_theme_wording(theme, user=request.user)
    messages.success(request, f"The public page shows the new title of theme {theme.number}.")
    return redirect(reverse("publishing", kwargs={"slug": strategy.slug}) + "#waiting")


@require_POST
def publish_commitment(request, slug, pk):
    strategy = _governance_strategy(request, slug)
    commitment = get_object_or_404(
        Commitment.objects.select_related("theme"), theme__strategy=strategy, pk=pk
    )
    wording.publish_commitment(commitment, user=request.user)
    messages.success(request, f"The public page shows commitment {commitment.ref} as it is now.")
    return redirect(reverse("publishing", kwargs={"slug": strategy.slug}))


@require_http_methods(["GET"])
def requests_page(request, slug):
    strategy = _governance_strategy(request, slug)
    found = list(
        InformationRequest.objects.filter(strategy=strategy)
        .select_related("answered_by")
        .order_by("answered_at", "-received_at")
    )
    context = {
        "strategy": strategy,
        "section": "public",
        "open": [r for r in found if r.answered_at is None],
        "answered": [r for r in found if r.answered_at is not None],
    }
    return render(request, "public/requests.html", context)


@require_POST
def answer_request(request, slug, pk):
    strategy = _governance_strategy(request, slug)
    found = get_object_or_404(InformationRequest, strategy=strategy, pk=pk)
    if requests.answer_request(found, user=request.user):
        messages.success(request, f"The request from {found.name} is marked as answered.")
    return redirect(reverse("public_requests", kwargs={"slug": strategy.slug}))
