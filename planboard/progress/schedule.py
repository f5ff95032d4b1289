"""A strategy's reminder schedule: reading it, checking it and saving it.

The governance team sets, per strategy, whether reminders go out on their own, how many
days before updates are due, whether on the due date, and how often after it until the
updates are in. Until someone saves a strategy's own schedule it keeps the defaults
(``ReminderSchedule.default_for``). Saves are version-checked, as every form is
(``planboard.lib.versions``), and kept in the schedule's history.
"""

from django.db import IntegrityError, transaction

from planboard.lib import versions
from planboard.lib.history import attribute
from planboard.lib.services import service
from planboard.people.permissions import require_governance
from planboard.progress.errors import CycleError
from planboard.progress.models import ReminderSchedule

MOST_DAYS_BEFORE = 90
MOST_REMINDERS_BEFORE = 10
MOST_EVERY_WEEKDAYS = 20
FIELDS = ("enabled", "days_before", "on_due_date", "after_due", "every_weekdays")


class ScheduleConflict(versions.EditConflict):
    """Someone saved the reminder schedule after the form was opened; ``current`` is theirs."""

    default_message = (
        "Someone else changed the reminder schedule after you opened it, so yours was not saved."
    )


def schedule_for(strategy) -> ReminderSchedule:
    """The strategy's saved schedule, or the defaults (unsaved, version 0)."""
    found = ReminderSchedule.objects.filter(strategy=strategy).first()
    return found or ReminderSchedule.default_for(strategy)


def days_text(days) -> str:
    """``[14, 7, 1]`` as a person types it: "14, 7, 1"."""
    return ", ".join(str(day) for day in days)


def parse_days_before(text: str) -> list[int]:
    """ "14, 7, 1" as ``[14, 7, 1]``; refused, naming the field, unless every part is a
    whole number of days from 1 to 90. Empty means no reminders before the due date."""
    parts = [part.strip() for part in (text or "").replace(";", ",").split(",")]
    parts = [part for part in parts if part]
    days = set()
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= MOST_DAYS_BEFORE:
            raise CycleError(
                f"Days before updates are due must be whole numbers from 1 to "
                f'{MOST_DAYS_BEFORE} separated by commas, such as "14, 7, 1" (not "{part[:20]}")',
                "days_before",
            )
        days.add(int(part))
    if len(days) > MOST_REMINDERS_BEFORE:
        raise CycleError(
            f"Days before updates are due can list at most {MOST_REMINDERS_BEFORE} days",
            "days_before",
        )
    return sorted(days, reverse=True)


def check_every_weekdays(value) -> int:
    """How many weekdays apart reminders go after the due date: 1 to 20."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= MOST_EVERY_WEEKDAYS:
        raise CycleError(
            f"Remind every how many weekdays must be a whole number from 1 to "
            f"{MOST_EVERY_WEEKDAYS}",
            "every_weekdays",
        )
    return int(text)


def clean_schedule(values: dict) -> dict:
    """The schedule's values checked; ``days_before`` may be given as text."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"Not reminder schedule fields: {', '.join(sorted(unknown))}.")
    days = values.get("days_before", [])
    return {
        "enabled": bool(values.get("enabled")),
        "days_before": parse_days_before(days if isinstance(days, str) else days_text(days)),
        "on_due_date": bool(values.get("on_due_date")),
        "after_due": bool(values.get("after_due")),
        "every_weekdays": check_every_weekdays(values.get("every_weekdays")),
    }


@service
@transaction.atomic
def save_reminder_schedule(strategy, values: dict, *, version: int, user) -> ReminderSchedule:
    """Save ``strategy``'s reminder schedule from ``values`` (the fields in ``FIELDS``).

    ``version`` is the version the form showed (0 for the defaults, never saved).
    Raises ``ScheduleConflict`` when the saved schedule has moved on since.
    """
    require_governance(user, "change when reminders are sent")
    cleaned = clean_schedule(values)
    if version == 0:
        schedule = schedule_for(strategy)
        if schedule.pk is not None:
            raise ScheduleConflict(schedule)
        schedule.version = 1
        reason = "Reminder schedule set"
    else:
        versions.claim(ReminderSchedule, version, conflict=ScheduleConflict, strategy=strategy)
        schedule = ReminderSchedule.objects.get(strategy=strategy)
        reason = "Reminder schedule changed"
    for name, value in cleaned.items():
        setattr(schedule, name, value)
    attribute(schedule, user, reason)
    try:
        with transaction.atomic():
            schedule.save()
    except IntegrityError:  # someone saved the first schedule a moment ago
        raise ScheduleConflict(schedule_for(strategy)) from None
    return schedule


def describe(schedule, hour: int) -> str:
    """The schedule in one sentence, for the period's page."""
    if not schedule.enabled:
        return "Reminders are not sent on their own for this strategy."
    when = []
    if schedule.days_before:
        days = [str(day) for day in schedule.days_before]
        listed = days[0] if len(days) == 1 else f"{', '.join(days[:-1])} and {days[-1]}"
        when.append(f"{listed} day{'s' if days != ['1'] else ''} before updates are due")
    if schedule.on_due_date:
        when.append("on the due date")
    if schedule.after_due:
        every = schedule.every_weekdays
        when.append("every weekday after it" if every == 1 else f"every {every} weekdays after it")
        when[-1] += " until the updates are in"
    if not when:
        return "Reminders are on for this strategy, but no day is chosen."
    listed = when[0] if len(when) == 1 else f"{', '.join(when[:-1])} and {when[-1]}"
    return f"Reminders go out on their own {listed}, from {hour:02d}:00."
