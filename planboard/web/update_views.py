"""A lead's side of the quarterly cycle: "My actions" and the update form.

The form checks what a person can correct; ``submit_update`` checks everything again
(permission, period, scale, reason) and guards against two people saving at once. When
someone else saved first, the conflict page shows both versions and keeps every word the
person typed in a form ready to send again.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from planboard.lib import clock
from planboard.people.permissions import leads_action, require_update_rights
from planboard.plans.models import Action, Strategy
from planboard.progress.models import ReportingPeriod, Update, UpdateStatus
from planboard.progress.services import (
    CycleError,
    EditConflict,
    current_period,
    submit_update,
    suggested_rating,
)
from planboard.web.cycle import my_actions as my_action_groups
from planboard.web.cycle_forms import UpdateForm


@require_GET
def my_actions(request):
    context = {"groups": my_action_groups(request.user), "today": clock.today()}
    return render(request, "web/my_actions.html", context)


def find_action(strategy, ref):
    theme_number, number = ref
    actions = (
        Action.objects.for_strategy(strategy).in_plan().select_related("theme", "area", "rag_level")
    )
    action = get_object_or_404(
        actions.prefetch_related("leads"), theme__number=theme_number, number=number
    )
    action.theme.strategy = strategy
    return action


@require_http_methods(["GET", "POST"])
def update_action(request, slug, ref):
    strategy = get_object_or_404(Strategy, slug=slug)
    action = find_action(strategy, ref)
    require_update_rights(request.user, action)
    period = current_period(strategy)
    existing = None
    if period is not None:
        existing = (
            Update.objects.filter(action=action, period=period)
            .select_related("proposed_rag", "submitted_by", "reviewed_by")
            .first()
        )
    levels = list(strategy.rag_levels.all())
    if request.method == "POST":
        form = UpdateForm(request.POST, action=action, levels=levels)
        if form.is_valid():
            try:
                update = submit_update(
                    action,
                    user=request.user,
                    period=_period_named(strategy, form.cleaned_data["period"], period),
                    **form.submission(),
                )
            except EditConflict as conflict:
                return _conflict(request, strategy, action, period, form, conflict.current)
            except CycleError as error:
                form.show_service_error(error)
            else:
                return _submitted(request, strategy, action, update)
    else:
        initial = UpdateForm.initial_for(action, period, existing)
        form = UpdateForm(initial=initial, action=action, levels=levels)
    context = _form_context(request, strategy, action, period, levels, existing)
    context["form"] = form
    return render(request, "web/update.html", context)


def _period_named(strategy, period_id, open_now):
    """The period the form was opened in; the service refuses it unless it is still open."""
    if period_id is None or (open_now is not None and open_now.pk == period_id):
        return open_now
    period = ReportingPeriod.objects.filter(strategy=strategy, pk=period_id).first()
    if period is None:
        raise CycleError("This form names a reporting period this strategy does not have.")
    return period


def _submitted(request, strategy, action, update):
    if update.on_behalf:
        messages.success(
            request,
            f"The update on action {action.ref} was sent for review, on the lead's behalf.",
        )
        return redirect("action", slug=strategy.slug, ref=action.ref)
    messages.success(request, f"Your update on action {action.ref} was sent for review.")
    return redirect("my_actions")


def _form_context(request, strategy, action, period, levels, existing):
    last_accepted = (
        Update.objects.filter(action=action, status=UpdateStatus.ACCEPTED)
        .select_related("period", "proposed_rag", "submitted_by", "reviewed_by")
        .order_by("-period__starts_on")
        .first()
    )
    accepted_now = existing is not None and existing.is_accepted
    return {
        "strategy": strategy,
        "section": "plan",
        "action": action,
        "period": period,
        "existing": existing,
        "last_accepted": last_accepted,
        "levels": levels,
        "suggested": suggested_rating(action, levels=levels, accepted_this_period=accepted_now),
        "on_behalf": not leads_action(request.user, action),
        "form_url": reverse("update_action", kwargs={"slug": strategy.slug, "ref": action.ref}),
    }


def _conflict(request, strategy, action, period, form, current):
    """Someone saved first: show both versions, and the person's own in a form to send again."""
    levels = list(form.levels.values())
    data = request.POST.copy()
    data["version"] = str(current.version) if current is not None else ""
    again = UpdateForm(data, action=action, levels=levels)
    context = _form_context(request, strategy, action, period, levels, current)
    context.update({"form": again, "mine": form, "current": current})
    return render(request, "web/update_conflict.html", context, status=409)
