"""The governance team's review queue: accept an update, or return it with a comment.

Each decision posts the version of the update the reviewer read, so a lead who edits
their update while it is being read is never accepted unseen: the reviewer is shown the
newer version and decides again. Nobody decides on their own update unless the
strategy allows it: the queue says why in place of the buttons, and the service refuses
a post made anyway.

A reviewer may also accept an update with a rating or target date of their own (with
their reason), or tick several and accept them together, all or none. The queue can be
narrowed to a theme or a lead, kept in the address; every error names its action.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from planboard.lib import clock
from planboard.lib.forms import TAMPERED
from planboard.people.permissions import require_governance
from planboard.plans.models import Strategy
from planboard.progress.models import Update, UpdateStatus
from planboard.progress.services import (
    CycleError,
    EditConflict,
    accept_update,
    accept_updates,
    return_update,
)
from planboard.progress.services.review import CHANGED, naming
from planboard.web.cycle import find_period, period_slug, review_filters, review_items
from planboard.web.cycle_forms import ReviewForm

# Where a service's refusal about a field shows on the queue, by the field it names.
FIELD_IDS = {
    "comment": "comment",
    "rag": "rag",
    "adjusted_rag": "rag",
    "proposed_rag": "rag",
    "target_date": "target-month",
    "adjusted_target_date": "target-month",
    "new_target_date": "target-month",
    "adjustment_reason": "adjustment-reason",
    "reason": "adjustment-reason",
}


@require_http_methods(["GET", "POST"])
def review(request, slug, period):
    require_governance(request.user, "review updates")
    strategy = get_object_or_404(Strategy, slug=slug)
    period = find_period(strategy, period)
    levels = list(strategy.rag_levels.all())
    themes, leads = review_filters(strategy)
    shown = _filters(request.GET, themes, leads)
    problem = None  # (update id or None, message, anchor)
    form = None
    status = 200
    if request.method == "POST":
        if request.POST.get("decision") == "accept-selected":
            problem = _accept_selected(request, period)
        else:
            form = ReviewForm(request.POST, levels=levels)
            problem, status = _decide(request, period, form)
        if problem is None:
            return redirect(_queue_url(strategy, period, shown))
    items = review_items(
        period,
        levels,
        clock.today(),
        reviewer=request.user,
        theme=shown["theme"],
        lead=shown["lead"],
    )
    waiting = [i for i in items if i.update.status == UpdateStatus.SUBMITTED]
    context = {
        "strategy": strategy,
        "section": "periods",
        "period": period,
        "levels": levels,
        "waiting": waiting,
        "returned": [i for i in items if i.update.status == UpdateStatus.RETURNED],
        "accepted": [i for i in items if i.update.status == UpdateStatus.ACCEPTED],
        "selectable": [i for i in waiting if not i.refusal] if period.is_open else [],
        "problem": problem,
        "form": form,
        "themes": themes,
        "leads": leads,
        "shown": shown,
        "queue_url": _queue_url(strategy, period, shown),
    }
    return render(request, "web/review.html", context, status=status)


def _filters(query, themes, leads) -> dict:
    """The theme number and lead role id the address narrows the queue to (None: all);
    a value that is not one of the strategy's is ignored, as an old link may carry."""
    chosen = {}
    for name, options in (("theme", themes), ("lead", leads)):
        value = query.get(name, "")
        known = {str(key): key for key, _ in options}
        chosen[name] = known.get(value.strip())
    return chosen


def _queue_url(strategy, period, shown) -> str:
    url = reverse("review", kwargs={"slug": strategy.slug, "period": period_slug(period.label)})
    query = {name: value for name, value in shown.items() if value is not None}
    return f"{url}?{urlencode(query)}" if query else url


def _accept_selected(request, period):
    """Accept the ticked updates, all or none; None when done, else the problem to show."""
    chosen = {}
    for value in request.POST.getlist("selected"):
        pk, _, version = value.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            return None, TAMPERED, None
        chosen[int(pk)] = int(version)
    try:
        accepted = accept_updates(period, chosen, user=request.user)
    except CycleError as error:
        return None, str(error), "accept-selected"
    refs = ", ".join(update.action.ref for update in accepted)
    if len(accepted) == 1:
        messages.success(request, f"You accepted the update on action {refs}.")
    else:
        messages.success(request, f"You accepted the {len(accepted)} updates on actions {refs}.")
    return None


def _decide(request, period, form):
    """Apply the decision: (None, 200) when done, else ((update id, message, anchor), status)."""
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        update_id = form.cleaned_data.get("update")
        if field not in FIELD_IDS or not update_id:
            return (update_id, errors[0], None), 200
        update = Update.objects.filter(pk=update_id, period=period).select_related("action__theme")
        update = update.first()
        message = naming(update.action.ref, errors[0]) if update else errors[0]
        return (update_id, message, f"{FIELD_IDS[field]}-{update_id}"), 200
    data = form.cleaned_data
    update = (
        Update.objects.filter(pk=data["update"], period=period)
        .select_related("action__theme", "period")
        .first()
    )
    if update is None:
        message = f"That update is not one of {period.label}'s. Choose one from the queue."
        return (None, message, None), 200
    ref = update.action.ref
    try:
        if data["decision"] == "return":
            return_update(
                update, user=request.user, comment=data["comment"], expected_version=data["version"]
            )
            messages.success(request, f"You returned the update on action {ref} to its lead.")
        else:
            adjusted = form.adjustment() if data["decision"] == "adjust" else {}
            accept_update(
                update,
                user=request.user,
                expected_version=data["version"],
                comment=data["comment"],
                **adjusted,
            )
            changed = " with your changes" if adjusted else ""
            messages.success(request, f"You accepted the update on action {ref}{changed}.")
    except PermissionDenied as refusal:
        # The reviewer's own update: the page offers them no buttons for it, so this is
        # a forged post, or the strategy stopped allowing it since the page loaded.
        return (update.pk, naming(ref, refusal), f"update-{update.pk}"), 403
    except EditConflict:
        return (update.pk, naming(ref, CHANGED), f"update-{update.pk}"), 200
    except CycleError as error:
        where = FIELD_IDS.get(error.field, "update")
        return (update.pk, naming(ref, error), f"{where}-{update.pk}"), 200
    return None, 200
