"""One turn of ``planboard scheduler`` at chosen moments queues exactly the reminder runs
due: the days before updates are due, the due date, after it, from the hour set, once a
day per strategy, and never for a strategy with reminders off or no open period."""

import datetime

import pytest
from django_tasks_db.models import DBTaskResult

from planboard.progress.models import DailyChore, ReminderRun, ReminderSchedule
from planboard.progress.models.schedule import weekdays_between
from planboard.progress.reminder_runs import prune_finished_results, tick
from planboard.progress.schedule import save_reminder_schedule
from planboard.progress.services import close_period
from tests.reminders.conftest import at

DUE = datetime.date(2017, 3, 31)  # the cycle's updates are due on Friday 31 March 2017


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


def queued_on(when) -> list[str]:
    return [run.strategy.slug for run in tick(when)]


def set_schedule(cycle, **values):
    base = {
        "enabled": True,
        "days_before": [7, 1],
        "on_due_date": True,
        "after_due": True,
        "every_weekdays": 2,
    }
    saved = ReminderSchedule.objects.filter(strategy=cycle.strategy).first()
    return save_reminder_schedule(
        cycle.strategy, {**base, **values}, version=saved.version if saved else 0, user=cycle.gail
    )


@pytest.mark.parametrize(
    ("offset", "due"),
    [
        (-8, False),
        (-7, True),  # the default: seven days before
        (-6, False),
        (-2, False),
        (-1, True),  # and the day before
        (0, True),  # and on the due date
        (1, False),  # Saturday
        (2, False),  # Sunday
        (3, False),  # Monday, the first weekday after
        (4, True),  # Tuesday, the second: every other weekday after
        (5, False),
        (6, True),
    ],
)
def test_with_the_defaults_a_run_is_queued_on_the_days_due(cycle, offset, due):
    assert queued_on(at(day(offset))) == (["sue"] if due else [])


def test_the_days_before_are_those_saved_for_the_strategy(cycle):
    set_schedule(cycle, days_before="14, 3")

    due_days = [offset for offset in range(-20, 0) if tick(at(day(offset)))]

    assert due_days == [-14, -3]


def test_on_the_due_date_only_when_asked(cycle):
    set_schedule(cycle, on_due_date=False)
    assert queued_on(at(DUE)) == []


def test_after_the_due_date_every_weekday_or_not_at_all(cycle):
    set_schedule(cycle, every_weekdays=1)
    assert [queued_on(at(day(offset))) for offset in (1, 2, 3, 4)] == [[], [], ["sue"], ["sue"]]

    ReminderRun.objects.all().delete()
    set_schedule(cycle, after_due=False)
    assert [queued_on(at(day(offset))) for offset in (3, 4, 6)] == [[], [], []]


def test_nothing_is_queued_before_the_hour_set(cycle, settings):
    settings.REMINDERS_HOUR = 8
    assert queued_on(at(DUE, 7, 59)) == []
    assert queued_on(at(DUE, 8, 0)) == ["sue"]


def test_the_hour_is_the_trusts_own_in_summer_time(cycle, settings):
    settings.REMINDERS_HOUR = 8
    seven_utc = datetime.datetime(2017, 3, 30, 7, 0, tzinfo=datetime.UTC)  # 08:00 BST
    assert queued_on(seven_utc) == ["sue"]


def test_nothing_is_queued_when_reminders_are_off(cycle):
    set_schedule(cycle, enabled=False)
    assert [queued_on(at(day(offset))) for offset in (-7, -1, 0, 4)] == [[], [], [], []]


def test_nothing_is_queued_with_no_open_period(cycle):
    close_period(cycle.period, user=cycle.gail)
    assert queued_on(at(DUE)) == []
    assert not ReminderRun.objects.exists()


def test_one_run_a_day_however_often_the_scheduler_turns(cycle):
    first = tick(at(DUE, 9))
    assert [run.strategy.slug for run in first] == ["sue"]
    assert tick(at(DUE, 9, 1)) == []
    assert tick(at(DUE, 17)) == []
    assert ReminderRun.objects.count() == 1

    assert [run.day for run in tick(at(day(4)))] == [day(4)]
    assert ReminderRun.objects.count() == 2


def test_the_run_and_its_task_are_queued_together(cycle):
    (run,) = tick(at(DUE))

    run.refresh_from_db()
    assert (run.status, run.trigger, run.day) == ("queued", "schedule", DUE)
    assert run.period == cycle.period
    task = DBTaskResult.objects.get(id=run.task_id)
    assert task.status == "READY"
    assert task.task_path.endswith("send_queued_reminders")
    assert task.args_kwargs["args"] == [run.pk]


def test_the_pruning_of_old_task_results_is_queued_once_a_day(cycle, settings):
    settings.REMINDERS_HOUR = 8
    tick(at(DUE, 1))  # before the reminders' hour: the chore is queued all the same
    tick(at(DUE, 9))
    tick(at(day(1), 9))

    chores = list(DailyChore.objects.order_by("day"))
    assert [(chore.name, chore.day) for chore in chores] == [
        ("prune task results", DUE),
        ("prune task results", day(1)),
    ]
    paths = DBTaskResult.objects.filter(id__in=[chore.task_id for chore in chores])
    assert {task.task_path.rsplit(".", 1)[-1] for task in paths} == {"prune_task_results"}


def test_pruning_deletes_only_finished_results_older_than_the_days_kept(cycle, settings):
    settings.TASK_RESULTS_KEEP_DAYS = 14
    tick(at(DUE))
    now = at(DUE, 12)
    results = list(DBTaskResult.objects.all())
    assert len(results) == 2
    old, recent = results
    DBTaskResult.objects.filter(pk=old.pk).update(
        status="SUCCESSFUL", finished_at=now - datetime.timedelta(days=15)
    )
    DBTaskResult.objects.filter(pk=recent.pk).update(
        status="SUCCESSFUL", finished_at=now - datetime.timedelta(days=13)
    )

    assert prune_finished_results(now) == 1
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [recent.pk]


def test_weekdays_are_counted_from_the_day_after():
    friday = datetime.date(2017, 3, 31)
    assert [weekdays_between(friday, friday + datetime.timedelta(days=n)) for n in range(11)] == [
        0,
        0,
        0,
        1,
        2,
        3,
        4,
        5,
        5,
        5,
        6,
    ]
