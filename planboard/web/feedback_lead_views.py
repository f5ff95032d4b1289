"""Linking feedback to an action, for its leads (and the governance team): the
strategy's feedback items not yet linked to the action, searched and filtered by a GET
form and paged, each with a button to link it, and the linked ones with a button to
unlink them.

Who may is ``may_link_feedback`` (the rule ``link_feedback`` asks); the writes are
``link_feedback`` and ``unlink_feedback`` of ``planboard.feedback.services``.
"""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from planboard.feedback.models import FeedbackItem, LoopState, Service
from planboard.feedback.services import link_feedback, unlink_feedback
from planboard.lib.services import ServiceError
from planboard.people.permissions import require_feedback_link_rights
from planboard.plans.models import Action, Strategy
from planboard.web.feedback_forms import ItemFilterForm
from planboard.web.feedback_views import listed, paged, shown

PAGE_SIZE = 25
SEARCH_LIMIT = 200


class LeadFilterForm(ItemFilterForm):
    """The search box and filters of the page, read from the address."""

    q = forms.CharField(
        required=False,
        max_length=SEARCH_LIMIT,
        strip=True,
        error_messages={"max_length": f"The search must be {SEARCH_LIMIT} characters or fewer."},
    )
    field_order = ["q", "source", "service", "loop"]

    def narrowed(self, items, chosen):
        if chosen["q"]:
            items = items.filter(Q(title__icontains=chosen["q"]) | Q(text__icontains=chosen["q"]))
        return items


def _action(request, slug, ref):
    """The strategy and its action ``ref``, refused unless the user may link feedback
    to it."""
    strategy = get_object_or_404(Strategy, slug=slug)
    theme_number, number = ref
    action = get_object_or_404(
        Action.objects.for_strategy(strategy).select_related("theme"),
        theme__number=theme_number,
        number=number,
    )
    action.theme.strategy = strategy
    require_feedback_link_rights(request.user, action)
    return strategy, action


@require_GET
def action_feedback(request, slug, ref):
    strategy, action = _action(request, slug, ref)
    services = list(Service.objects.filter(strategy=strategy))
    form = LeadFilterForm(request.GET or None, services=services)
    mine = FeedbackItem.objects.filter(strategy=strategy)
    linked = [shown(item) for item in listed(mine.filter(actions=action))]
    others = form.filtered(mine.exclude(actions=action))
    context = {
        "strategy": strategy,
        "section": "plan",
        "action": action,
        "form": form,
        "linked": linked,
        **paged(request, others, PAGE_SIZE),
        "loop_labels": dict(LoopState.choices),
    }
    status = 400 if form.errors else 200
    return render(request, "web/feedback/action_feedback.html", context, status=status)


def _linking(request, slug, ref, pk, service, message):
    strategy, action = _action(request, slug, ref)
    item = get_object_or_404(FeedbackItem, pk=pk, strategy=strategy)
    back = reverse("action_feedback", kwargs={"slug": slug, "ref": action.ref})
    try:
        service(item, user=request.user, actions=[action])
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message.format(title=item.title or "The feedback"))
    query = QueryDict(request.POST.get("next_query", "")).urlencode()
    return redirect(f"{back}?{query}" if query else back)


@require_POST
def action_feedback_link(request, slug, ref, pk):
    return _linking(request, slug, ref, pk, link_feedback, "{title} is linked to this action.")


@require_POST
def action_feedback_unlink(request, slug, ref, pk):
    return _linking(
        request, slug, ref, pk, unlink_feedback, "{title} is no longer linked to this action."
    )
