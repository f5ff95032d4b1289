"""Governance's page for the public summary of the engagement: its introduction, and
what each activity changed, published and withdrawn one by one.

Only the governance team may use it. Every write is a service: the summary's in
``planboard.public.engagement_publishing``, the outcomes' in ``planboard.engagement``.
"""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from planboard.engagement import services as engagement
from planboard.engagement.models import Activity, Level
from planboard.lib.services import ServiceError
from planboard.lib.versions import EditConflict
from planboard.public import engagement_publishing, publishing
from planboard.public.editor_views import _edit, _governance_strategy
from planboard.public.engagement_forms import PublicOutcomeForm
from planboard.public.readability import readability


@require_http_methods(["GET"])
def page(request, slug):
    strategy = _governance_strategy(request, slug)
    summary = engagement_publishing.engagement_summary_of(strategy)
    with_outcome = Activity.objects.filter(strategy=strategy).filter(
        ~Q(outcome="") | ~Q(public_outcome="")
    )
    found = list(with_outcome.order_by("-starts_on", "title"))
    context = {
        "strategy": strategy,
        "section": "public",
        "summary": summary,
        "summary_readability": readability(summary.introduction),
        "published": [a for a in found if a.outcome_published_at is not None],
        "to_publish": [a for a in found if a.outcome_published_at is None],
        "without_outcome": Activity.objects.filter(strategy=strategy).count() - len(found),
        "levels": Level,
        "strategy_published": publishing.publication_of(strategy).published,
    }
    return render(request, "public/engagement_publishing.html", context)


@require_http_methods(["GET", "POST"])
def edit_introduction(request, slug):
    strategy = _governance_strategy(request, slug)
    return _edit(
        request,
        strategy,
        record=engagement_publishing.engagement_summary_of(strategy),
        what="how we involve people",
        heading="How we involve people: the introduction",
        save=lambda values, version: engagement_publishing.save_engagement_summary(
            strategy, version=version, user=request.user, **values
        ),
        back=reverse("publish_engagement", kwargs={"slug": strategy.slug}),
        back_text="How we involve people",
    )


@require_http_methods(["GET", "POST"])
def edit_outcome(request, slug, pk):
    strategy = _governance_strategy(request, slug)
    activity = get_object_or_404(Activity, strategy=strategy, pk=pk)
    if request.method == "GET":
        initial = {"public_outcome": activity.public_outcome, "version": activity.version}
        return _outcome_page(request, strategy, activity, PublicOutcomeForm(initial=initial))
    form = PublicOutcomeForm(request.POST)
    if "check" in request.POST or not form.is_valid():
        status = 200 if "check" in request.POST and not form.errors else 400
        return _outcome_page(request, strategy, activity, form, status=status)
    try:
        engagement.publish_outcome(
            activity,
            user=request.user,
            text=form.cleaned_data["public_outcome"],
            version=form.cleaned_data["version"],
        )
    except EditConflict:
        activity.refresh_from_db()
        form.add_error(
            None,
            "Someone else changed this activity after you opened it: check it and publish again.",
        )
        form.data = form.data.copy()
        form.data["version"] = str(activity.version)
        return _outcome_page(request, strategy, activity, form, status=409)
    except ServiceError as error:
        form.show_service_error(error)
        return _outcome_page(request, strategy, activity, form, status=400)
    messages.success(request, f"What {activity.title} changed is on the public page.")
    return redirect(reverse("publish_engagement", kwargs={"slug": strategy.slug}))


def _outcome_page(request, strategy, activity, form, status=200):
    draft = form.shown_value("public_outcome")
    context = {
        "strategy": strategy,
        "section": "public",
        "activity": activity,
        "level": Level(activity.level),
        "form": form,
        "readability": readability(draft),
    }
    return render(request, "public/engagement_outcome.html", context, status=status)


@require_POST
def withdraw_outcome(request, slug, pk):
    strategy = _governance_strategy(request, slug)
    activity = get_object_or_404(Activity, strategy=strategy, pk=pk)
    back = reverse("publish_engagement", kwargs={"slug": strategy.slug})
    try:
        engagement.withdraw_outcome(activity, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, f"What {activity.title} changed is off the public page.")
    return redirect(back)
