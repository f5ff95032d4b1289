"""Reporting periods: the list, a period's page, and opening and closing them.

A closed period's page shows the plan from its snapshots only, never from live data, so
it reads the same years later, whatever has changed in the plan since.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from planboard.lib import clock
from planboard.lib.letters import long_date
from planboard.people.permissions import is_governance, require_governance
from planboard.plans.models import Strategy
from planboard.progress.changes import what_changed
from planboard.progress.closing import unaccepted
from planboard.progress.completion import completion_rate
from planboard.progress.models import ActionSnapshot, UpdateStatus
from planboard.progress.reminder_runs import expire_stale_runs, last_run
from planboard.progress.schedule import describe, schedule_for
from planboard.progress.services import CycleError, close_period, open_period
from planboard.progress.services.periods import CONFIRM_FIELD
from planboard.public.models import StrategyPublication
from planboard.web.cycle import find_period, next_period_label, period_slug
from planboard.web.cycle_forms import OpenPeriodForm


@dataclass
class PeriodRow:
    period: object
    completion: object


@require_GET
def periods(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    return _periods_page(request, strategy, OpenPeriodForm())


def _periods_page(request, strategy, form):
    periods = list(strategy.periods.order_by("-starts_on"))
    rows = [PeriodRow(p, completion_rate(p) if p.status != "planned" else None) for p in periods]
    open_now = next((p for p in periods if p.is_open), None)
    label = next_period_label(periods, clock.today())
    if not form.is_bound:
        planned = next((p for p in periods if p.label == label), None)
        form.initial = {"label": label, "updates_due": planned.updates_due if planned else None}
    context = {
        "strategy": strategy,
        "section": "periods",
        "rows": rows,
        "open_now": open_now,
        "form": form,
        "governance": is_governance(request.user),
    }
    return render(request, "web/periods.html", context)


@require_POST
def open_next_period(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    require_governance(request.user, "open reporting periods")
    form = OpenPeriodForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            period = open_period(
                strategy, data["label"], user=request.user, updates_due=data["updates_due"]
            )
        except CycleError as error:
            form.show_service_error(error)
        else:
            messages.success(
                request,
                f"{period.label} is open. Leads can give their updates until "
                f"{long_date(period.updates_due)}.",
            )
            return redirect("period", slug=strategy.slug, period=period_slug(period.label))
    return _periods_page(request, strategy, form)


@require_http_methods(["GET", "POST"])
def close(request, slug, period):
    strategy = get_object_or_404(Strategy, slug=slug)
    require_governance(request.user, "close reporting periods")
    period = find_period(strategy, period)
    error = None
    if request.method == "POST":
        shown = request.POST.get(CONFIRM_FIELD, "")  # how many the page listed
        confirmed = int(shown) if shown.isdigit() and len(shown) < 7 else False
        try:
            close_period(period, user=request.user, confirm_not_accepted=confirmed)
        except CycleError as problem:
            error = problem
        else:
            messages.success(
                request, f"{period.label} is closed. Its plan is kept exactly as it stands now."
            )
            return redirect("period", slug=strategy.slug, period=period_slug(period.label))
    rows = unaccepted(period) if period.is_open else []
    context = {
        "strategy": strategy,
        "section": "periods",
        "period": period,
        "completion": completion_rate(period) if period.is_open else None,
        "waiting": sum(1 for row in rows if row.status == UpdateStatus.SUBMITTED),
        "unaccepted": rows,
        "updates_left": sum(1 for row in rows if row.is_update),
        "confirm_field": CONFIRM_FIELD,
        "error": str(error) if error else None,
        "error_field": error.field if error else None,
    }
    return render(request, "web/period_close.html", context)


@require_GET
def period_detail(request, slug, period):
    strategy = get_object_or_404(Strategy, slug=slug)
    period = find_period(strategy, period)
    snapshots = []
    if period.is_closed:
        snapshots = list(
            ActionSnapshot.objects.filter(period=period).order_by("theme_number", "number")
        )
    governance = is_governance(request.user)
    context = {
        "strategy": strategy,
        "section": "periods",
        "period": period,
        "completion": completion_rate(period) if period.status != "planned" else None,
        "changes": what_changed(period) if period.status != "planned" else None,
        "themes": _by_theme(snapshots),
        "governance": governance,
        "waiting": period.updates.filter(status=UpdateStatus.SUBMITTED).count(),
        "reminders": _reminders(period) if governance and period.status != "planned" else None,
        "not_accepted": [s for s in snapshots if (s.update or {}).get("not_accepted_at_close")],
        "next_steps": _next_steps(strategy) if governance and period.is_closed else None,
    }
    return render(request, "web/period.html", context)


@dataclass
class NextSteps:
    open_now: object  # the strategy's open period, if one is open already
    published: bool  # the strategy has a public page


def _next_steps(strategy) -> NextSteps:
    """What the governance team does after a close: the paper, the next period, the
    public page's "what changed"."""
    return NextSteps(
        open_now=strategy.periods.open().first(),
        published=StrategyPublication.objects.filter(strategy=strategy, published=True).exists(),
    )


@dataclass
class Reminders:
    schedule: str
    last: object


def _reminders(period) -> Reminders:
    """The period's reminders, for the governance team: the schedule and the last run."""
    schedule = describe(schedule_for(period.strategy), settings.REMINDERS_HOUR)
    run = last_run(period)
    if run is not None and run.in_progress and expire_stale_runs():
        run = last_run(period)  # its worker stopped: the page says so at once
    return Reminders(schedule if period.is_open else "", run)


@dataclass
class SnapshotTheme:
    number: int
    title: str
    snapshots: list


def _by_theme(snapshots) -> list[SnapshotTheme]:
    themes: list[SnapshotTheme] = []
    for snapshot in snapshots:
        if not themes or themes[-1].number != snapshot.theme_number:
            themes.append(SnapshotTheme(snapshot.theme_number, snapshot.theme_title, []))
        themes[-1].snapshots.append(snapshot)
    return themes
