"""The governance team's review queue: accept an update, or return it with a comment.

Each decision posts the version of the update the reviewer read, so a lead who edits
their update while it is being read is never accepted unseen: the reviewer is shown the
newer version and decides again. Nobody decides on their own update unless the
strategy allows it: the queue says why in place of the buttons, and the service refuses
a post made anyway.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from planboard.lib import clock
from planboard.people.permissions import require_governance
from planboard.plans.models import Strategy
from planboard.progress.models import Update, UpdateStatus
from planboard.progress.services import CycleError, EditConflict, accept_update, return_update
from planboard.web.cycle import find_period, period_slug, review_items
from planboard.web.cycle_forms import ReviewForm


@require_http_methods(["GET", "POST"])
def review(request, slug, period):
    require_governance(request.user, "review updates")
    strategy = get_object_or_404(Strategy, slug=slug)
    period = find_period(strategy, period)
    problem = None  # (update id or None, message, field)
    form = None
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST)
        try:
            problem = _decide(request, period, form)
        except PermissionDenied as refusal:
            # The reviewer's own update: the page offers them no buttons for it, so this
            # is a forged post, or the strategy stopped allowing it since the page loaded.
            update_id = form.cleaned_data["update"]
            problem, status = (update_id, str(refusal), f"update-{update_id}"), 403
        if problem is None:
            return redirect("review", slug=strategy.slug, period=period_slug(period.label))
    levels = list(strategy.rag_levels.all())
    items = review_items(period, levels, clock.today(), reviewer=request.user)
    context = {
        "strategy": strategy,
        "section": "periods",
        "period": period,
        "waiting": [i for i in items if i.update.status == UpdateStatus.SUBMITTED],
        "returned": [i for i in items if i.update.status == UpdateStatus.RETURNED],
        "accepted": [i for i in items if i.update.status == UpdateStatus.ACCEPTED],
        "problem": problem,
        "form": form,
    }
    return render(request, "web/review.html", context, status=status)


def _decide(request, period, form):
    """Apply the decision; None when done, else (update id, message, anchor) to show."""
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        update_id = form.cleaned_data.get("update")
        anchor = f"comment-{update_id}" if field == "comment" and update_id else None
        return update_id, errors[0], anchor
    data = form.cleaned_data
    update = (
        Update.objects.filter(pk=data["update"], period=period)
        .select_related("action__theme", "period")
        .first()
    )
    if update is None:
        return None, f"That update is not one of {period.label}'s. Choose one from the queue.", None
    ref = update.action.ref
    try:
        if data["decision"] == "accept":
            accept_update(
                update,
                user=request.user,
                expected_version=data["version"],
                comment=data["comment"],
            )
            messages.success(request, f"You accepted the update on action {ref}.")
        else:
            return_update(
                update, user=request.user, comment=data["comment"], expected_version=data["version"]
            )
            messages.success(request, f"You returned the update on action {ref} to its lead.")
    except EditConflict:
        return (
            update.pk,
            f"The update on action {ref} changed while you were reading it. "
            "Read it again below, then decide.",
            f"update-{update.pk}",
        )
    except CycleError as error:
        where = "comment" if error.field == "comment" else "update"
        return update.pk, str(error), f"{where}-{update.pk}"
    return None
