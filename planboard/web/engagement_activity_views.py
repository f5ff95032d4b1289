"""The pages that add and change an activity, its participation and its outcome.

Thin, as every page is: each refuses those the service would refuse (403: adding is
the governance team's, changing also the activity's lead), reads its form and makes
the service call of ``planboard.engagement.services``. A refusal shows on the field it
names (400); a save over someone else's shows the saved activity beside what was typed
(409), which is kept so it can be saved again knowingly.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from planboard.engagement.models import Activity
from planboard.engagement.services import save_activity, set_equality_counts, set_participation
from planboard.feedback.models import Service
from planboard.lib.services import ServiceError
from planboard.lib.versions import EditConflict
from planboard.people.models import Person
from planboard.people.permissions import require_activity_rights, require_engagement_rights
from planboard.plans.models import Action, Commitment, Strategy
from planboard.web.display import written_date
from planboard.web.engagement_forms import ActivityForm, OutcomeForm, ParticipationForm
from planboard.web.engagement_views import KINDS, level_of


def _strategy(slug):
    return get_object_or_404(Strategy, slug=slug)


def _activity(strategy, pk, user):
    """Activity ``pk`` of ``strategy`` (404 for another's), refused (403) unless ``user``
    may change it."""
    found = get_object_or_404(Activity.objects.select_related("lead"), strategy=strategy, pk=pk)
    require_activity_rights(user, found)
    return found


def _url(activity) -> str:
    return reverse(
        "engagement_activity", kwargs={"slug": activity.strategy.slug, "pk": activity.pk}
    )


def _activity_form(request, strategy, activity=None, **kwargs):
    """The activity form with the strategy's services, the commitments and actions still
    in the plan and those ``activity`` already serves (so a save keeps them), and the
    key's people to choose from."""
    kept = Q(engagement_activities=activity) if activity is not None else Q(pk__in=[])
    commitments = Commitment.objects.filter(
        Q(theme__strategy=strategy, retired_on__isnull=True) | kept
    )
    actions = Action.objects.filter(Q(theme__strategy=strategy, retired_on__isnull=True) | kept)
    return ActivityForm(
        request.POST if request.method == "POST" else None,
        services=list(
            Service.objects.filter(strategy=strategy).select_related("parent").order_by("name")
        ),
        commitments=list(
            commitments.distinct().select_related("theme").order_by("theme__number", "number")
        ),
        actions=list(
            actions.distinct().select_related("theme").order_by("theme__number", "number")
        ),
        people=list(Person.objects.filter(strategy=strategy).order_by("name")),
        **kwargs,
    )


def _rows(activity) -> list[dict]:
    """The saved activity as summary-list rows, shown beside a form it conflicts with."""
    if activity is None:
        return []
    return [
        {"key": "Title", "value": activity.title},
        {"key": "Kind", "value": KINDS[activity.kind]},
        {"key": "Level of involvement", "value": level_of(activity.level)["label"]},
        {"key": "Purpose", "value": activity.purpose or "Not given"},
        {"key": "What changed", "value": activity.outcome or "Not recorded"},
        {
            "key": "Fed back on",
            "value": written_date(activity.fed_back_on) if activity.fed_back else "Not fed back",
        },
    ]


def form_page(request, strategy, form, *, save, page: dict):
    """Show ``form``, or on a POST save it with ``save(form)`` and go to the activity."""
    status, current = (400 if form.is_bound else 200), None
    if request.method == "POST" and form.is_valid():
        try:
            saved, message = save(form)
        except EditConflict as conflict:
            status, current = 409, conflict.current
            form.data = form.data.copy()
            form.data["version"] = str(current.version if current else "")
        except ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, message)
            return redirect(_url(saved))
    context = {
        **page,
        "strategy": strategy,
        "section": "engagement",
        "form": form,
        "current": current,
        "current_rows": _rows(current),
    }
    # The plan pages' form page: every field from the form, the edit conflict beside it.
    return render(request, "web/plan_edit/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def add_activity(request, slug):
    strategy = _strategy(slug)
    require_engagement_rights(request.user, "add an engagement activity")
    form = _activity_form(request, strategy)

    def save(form):
        activity = Activity(strategy=strategy)
        links = form.apply(activity)
        saved = save_activity(activity, user=request.user, **links)
        return saved, f"{saved.title} is added."

    back = reverse("engagement_activities", kwargs={"slug": slug})
    page = {"title": "Add an activity", "button_text": "Add the activity", "back": back}
    return form_page(request, strategy, form, save=save, page=page)


@require_http_methods(["GET", "POST"])
def edit_activity(request, slug, pk):
    strategy = _strategy(slug)
    activity = _activity(strategy, pk, request.user)
    initial = ActivityForm.initial_for(activity)
    form = _activity_form(request, strategy, activity, initial=initial)

    def save(form):
        links = form.apply(activity)
        version = form.cleaned_data["version"]
        saved = save_activity(activity, user=request.user, version=version, **links)
        return saved, f"{saved.title} is saved."

    page = {"title": f"Change {activity.title}", "button_text": "Save the activity"}
    page["back"] = _url(activity)
    return form_page(request, strategy, form, save=save, page=page)


@require_http_methods(["GET", "POST"])
def outcome(request, slug, pk):
    strategy = _strategy(slug)
    activity = _activity(strategy, pk, request.user)
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        initial=OutcomeForm.initial_for(activity),
    )

    def save(form):
        form.apply(activity)
        version = form.cleaned_data["version"]
        saved = save_activity(activity, user=request.user, version=version, reason="Outcome")
        return saved, f"The outcome of {saved.title} is saved."

    page = {
        "title": f"Outcome of {activity.title}",
        "button_text": "Save the outcome",
        "back": _url(activity),
    }
    return form_page(request, strategy, form, save=save, page=page)


@require_http_methods(["GET", "POST"])
def participation(request, slug, pk):
    strategy = _strategy(slug)
    activity = _activity(strategy, pk, request.user)
    status, saved = 200, None
    if request.method == "POST":
        form, status = ParticipationForm(request.POST), 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    version = form.cleaned_data["version"]
                    set_participation(activity, form.counts(), user=request.user, version=version)
                    set_equality_counts(activity, form.equality(), user=request.user)
            except ServiceError as error:
                form.show_service_error(error)
            except EditConflict as conflict:
                # What was typed stays in the form, now at the saved version, so saving
                # it again replaces theirs knowingly; theirs is shown beside it.
                status, saved = 409, list(activity.participation.all())
                form.data = form.data.copy()
                form.data["version"] = str(conflict.current.version)
            else:
                messages.success(request, f"Who took part in {activity.title} is saved.")
                return redirect(_url(activity))
    else:
        rows = activity.equality_counts.count()
        form = ParticipationForm(initial=ParticipationForm.initial_for(activity), rows=rows)
    context = {
        "strategy": strategy,
        "section": "engagement",
        "activity": activity,
        "form": form,
        "saved": saved,
        "back": _url(activity),
    }
    return render(request, "web/engagement/activity_participation.html", context, status=status)
