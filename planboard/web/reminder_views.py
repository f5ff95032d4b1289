"""Reminders on the web: a strategy's reminder schedule, and "Send reminders now".

Both are the governance team's. The schedule is saved by
``planboard.progress.schedule.save_reminder_schedule`` (version-checked); sending now
queues a run of the reminders (``planboard.progress.reminder_runs``) that the period's
page follows.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from planboard.lib.forms import NhsukFormMixin, VersionField
from planboard.people.permissions import require_governance
from planboard.plans.models import Strategy
from planboard.progress.errors import CycleError
from planboard.progress.reminder_runs import send_reminders_now
from planboard.progress.schedule import (
    ScheduleConflict,
    check_every_weekdays,
    days_text,
    parse_days_before,
    save_reminder_schedule,
    schedule_for,
)
from planboard.web.cycle import find_period, period_slug


class ReminderScheduleForm(NhsukFormMixin, forms.Form):
    """When a strategy's reminders go out on their own."""

    ANCHORS = {
        "enabled": "enabled",
        "days_before": "days-before",
        "on_due_date": "on-due-date",
        "after_due": "after-due",
        "every_weekdays": "every-weekdays",
    }

    enabled = forms.BooleanField(required=False)
    days_before = forms.CharField(required=False, max_length=200)
    on_due_date = forms.BooleanField(required=False)
    after_due = forms.BooleanField(required=False)
    every_weekdays = forms.CharField(required=False, max_length=20)
    version = VersionField()

    @staticmethod
    def initial_for(schedule) -> dict:
        return {
            "enabled": schedule.enabled,
            "days_before": days_text(schedule.days_before),
            "on_due_date": schedule.on_due_date,
            "after_due": schedule.after_due,
            "every_weekdays": schedule.every_weekdays,
            "version": schedule.version,
        }

    def clean_days_before(self):
        return self.service_check(parse_days_before, self.cleaned_data["days_before"])

    def clean_every_weekdays(self):
        return self.service_check(check_every_weekdays, self.cleaned_data["every_weekdays"])

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.ANCHORS}

    def ticked(self, name) -> bool:
        """Whether the box ``name`` shows ticked: as sent, else as saved."""
        if self.is_bound:
            return bool(self.data.get(name))
        return bool(self.initial.get(name))


@require_http_methods(["GET", "POST"])
def reminder_schedule(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    require_governance(request.user, "change when reminders are sent")
    schedule = schedule_for(strategy)
    if request.method == "GET":
        form = ReminderScheduleForm(initial=ReminderScheduleForm.initial_for(schedule))
        return _schedule_page(request, strategy, form)
    form = ReminderScheduleForm(request.POST)
    if not form.is_valid():
        return _schedule_page(request, strategy, form, status=400)
    try:
        save_reminder_schedule(
            strategy, form.values(), version=form.cleaned_data["version"] or 0, user=request.user
        )
    except ScheduleConflict as conflict:
        return _schedule_page(request, strategy, form, current=conflict.current, status=409)
    except CycleError as error:
        form.show_service_error(error)
        return _schedule_page(request, strategy, form, status=400)
    messages.success(request, f"The reminder schedule of {strategy.title} is saved.")
    return redirect("reminder_schedule", slug=strategy.slug)


def _schedule_page(request, strategy, form, current=None, status=200):
    if current is not None:
        # The form keeps what was chosen; saving it again now replaces ``current`` knowingly.
        form.data = form.data.copy()
        form.data["version"] = str(current.version)
    context = {
        "strategy": strategy,
        "section": "periods",
        "form": form,
        "current": current,
        "current_days": days_text(current.days_before) if current is not None else "",
    }
    return render(request, "web/reminder_schedule.html", context, status=status)


@require_POST
def send_now(request, slug, period):
    strategy = get_object_or_404(Strategy, slug=slug)
    require_governance(request.user, "send reminders")
    found = find_period(strategy, period)
    try:
        send_reminders_now(found, user=request.user)
    except CycleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"The reminders for {found.label} are being sent. Nobody gets the same "
            "reminder twice in a day.",
        )
    url = reverse("period", kwargs={"slug": strategy.slug, "period": period_slug(found.label)})
    return redirect(f"{url}#reminders")
