"""The governance team's pages that add, change, move, retire and restore actions.

Thin, as every page is: the services in ``planboard.plans.action_changes`` check and
save; these pages read the form and show the service's refusal or the other
person's values (``plan_edit_views.edit_page``).
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from planboard.plans import action_changes
from planboard.plans.models import Action, Commitment
from planboard.web.plan_edit_forms import ActionForm, RestoreForm, RetireForm
from planboard.web.plan_edit_views import edit_page, governed_strategy


def _action_url(action) -> str:
    return reverse("action", kwargs={"slug": action.theme.strategy.slug, "ref": action.ref})


def _find(strategy, ref):
    theme_number, number = ref
    actions = Action.objects.for_strategy(strategy).select_related("theme", "area")
    action = get_object_or_404(
        actions.prefetch_related(
            "leads", Prefetch("commitments", Commitment.objects.select_related("theme"))
        ),
        theme__number=theme_number,
        number=number,
    )
    action.theme.strategy = strategy
    return action


def _action_form(request, strategy, **kwargs):
    """The action form with the strategy's themes, areas, roles and the commitments
    still in the plan to choose from."""
    return ActionForm(
        request.POST or None,
        themes=list(strategy.themes.order_by("number")),
        areas=list(strategy.areas.order_by("name")),
        roles=list(strategy.roles.order_by("-in_key", "title")),
        commitments=list(
            Commitment.objects.filter(theme__strategy=strategy, retired_on__isnull=True)
            .select_related("theme")
            .order_by("theme__number", "number")
        ),
        **kwargs,
    )


def _action_rows(action):
    action = Action.objects.select_related("theme", "area").get(pk=action.pk)
    return [
        {"key": "Ref", "value": action.ref},
        {"key": "Action", "value": action.text},
        {"key": "Target date", "value": action.target_display or "None set"},
        {"key": "Area", "value": action.area.name if action.area else "No area"},
        {"key": "Leads", "value": ", ".join(str(r) for r in action.leads.all()) or "None named"},
        {
            "key": "Commitments",
            "value": ", ".join(c.ref for c in action.commitments.select_related("theme"))
            or "No commitments",
        },
        {"key": "Retired", "value": action.retired_reason if action.is_retired else "No"},
    ]


def _page(strategy, title, button, back, back_text):
    return {
        "strategy": strategy,
        "title": title,
        "button_text": button,
        "back": back,
        "back_text": back_text,
    }


@require_http_methods(["GET", "POST"])
def add_action(request, slug):
    strategy = governed_strategy(request, slug)
    theme = strategy.themes.filter(number=request.GET.get("theme") or 0).first()
    form = _action_form(request, strategy, initial={"theme": theme.pk if theme else None})

    def save(form):
        added = action_changes.add_action(form.values(), user=request.user)
        added.theme.strategy = strategy
        return _action_url(added), (
            f"Action {added.ref} is added. It is not on the public page until its public "
            "summary is published."
        )

    plan = reverse("plan", kwargs={"slug": strategy.slug})
    page = _page(strategy, "Add an action", "Add the action", plan, "Back to the plan")
    return edit_page(request, form, save=save, page=page)


@require_http_methods(["GET", "POST"])
def edit_action(request, slug, ref):
    strategy = governed_strategy(request, slug)
    action = _find(strategy, ref)
    form = _action_form(request, strategy, initial=ActionForm.initial_for(action))

    def save(form):
        changed = action_changes.change_action(
            action,
            form.values(),
            version=form.cleaned_data["version"],
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
        return _action_url(changed), f"Action {changed.ref} is saved."

    title = f"Change action {action.ref}"
    page = _page(strategy, title, "Save the action", _action_url(action), "Back to the action")
    return edit_page(request, form, save=save, page=page, shown=_action_rows)


@require_http_methods(["GET", "POST"])
def retire_action(request, slug, ref):
    strategy = governed_strategy(request, slug)
    action = _find(strategy, ref)
    form = RetireForm(request.POST or None, initial={"version": action.version})

    def save(form):
        data = form.cleaned_data
        retired = action_changes.retire_action(
            action, reason=data["reason"], version=data["version"], user=request.user
        )
        retired.theme.strategy = strategy
        return _action_url(retired), (
            f"Action {retired.ref} is retired: it has left the plan, the papers and reminders."
        )

    page = _page(
        strategy,
        f"Retire action {action.ref}",
        "Retire the action",
        _action_url(action),
        "Back to the action",
    )
    page["about"] = action.text
    return edit_page(request, form, save=save, page=page, shown=_action_rows)


@require_http_methods(["GET", "POST"])
def restore_action(request, slug, ref):
    strategy = governed_strategy(request, slug)
    action = _find(strategy, ref)
    form = RestoreForm(request.POST or None, initial={"version": action.version})

    def save(form):
        restored = action_changes.restore_action(
            action, version=form.cleaned_data["version"], user=request.user
        )
        restored.theme.strategy = strategy
        return _action_url(restored), f"Action {restored.ref} is back in the plan."

    page = _page(
        strategy,
        f"Restore action {action.ref}",
        "Restore the action",
        _action_url(action),
        "Back to the action",
    )
    page["about"] = action.text
    return edit_page(request, form, save=save, page=page, shown=_action_rows)
