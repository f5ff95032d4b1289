"""``planboard period open|close|list``: governance opens and closes quarters from the shell."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from planboard.progress.models import ActionSnapshot, PeriodStatus, ReportingPeriod
from planboard.progress.services import close_period, create_period, open_period, submit_update
from tests.cycle_commands.conftest import run


def periods():
    return list(
        ReportingPeriod.objects.order_by("starts_on").values_list("label", "status", "updates_due")
    )


def test_it_opens_a_quarter_from_its_label_and_prints_a_json_line(plan):
    output = run(
        "period",
        "open",
        strategy="sue",
        label="2017/18 Q1",
        updates_due="2017-06-23",
        user="gail",
    )

    assert output.count("\n") == 1
    assert json.loads(output) == {
        "strategy": "sue",
        "period": "2017/18 Q1",
        "status": "open",
        "starts_on": "2017-04-01",
        "ends_on": "2017-06-30",
        "updates_due": "2017-06-23",
        "completion": {"updated": 0, "open": 4, "rate": 0.0},
        "by": "gail",
    }


def test_the_updates_are_due_on_the_last_day_unless_said(plan):
    run("period", "open", strategy="sue", label="2016/17 Q4", user="gail")

    assert periods() == [("2016/17 Q4", "open", datetime.date(2017, 3, 31))]


def test_it_writes_the_label_the_usual_way(plan):
    run("period", "open", strategy="sue", label=" 2017/2018  q2 ", user="gail")

    assert periods()[0][0] == "2017/18 Q2"


def test_it_opens_a_period_set_up_earlier(plan):
    create_period(plan.strategy, "2017/18 Q1", user=plan.gail)

    output = run("period", "open", strategy="sue", label="2017/18 Q1", user="gail")

    assert json.loads(output)["status"] == "open"
    assert ReportingPeriod.objects.count() == 1


def test_without_user_it_is_recorded_as_the_command_line(plan):
    opened = json.loads(run("period", "open", strategy="sue", label="2016/17 Q4"))
    closed = json.loads(run("period", "close", strategy="sue"))

    assert opened["by"] is None and closed["by"] is None
    period = ReportingPeriod.objects.get()
    assert period.status == PeriodStatus.CLOSED and period.closed_by is None
    assert period.history.first().history_user is None


def test_closing_freezes_a_snapshot_and_attributes_it(cycle):
    submit_update(cycle.actions.review, user=cycle.mia, narrative="Meetings reviewed.")

    output = run("period", "close", strategy="sue", user="gail", confirm_not_accepted=True)

    summary = json.loads(output)
    assert (summary["period"], summary["status"], summary["by"]) == (
        "2016/17 Q4",
        "closed",
        "gail",
    )
    assert summary["snapshots"] == 5 == ActionSnapshot.objects.filter(period=cycle.period).count()
    assert summary["completion"]["updated"] == 1
    cycle.period.refresh_from_db()
    assert cycle.period.closed_by == cycle.gail


def test_it_closes_the_period_named_by_label(cycle):
    run("period", "close", strategy="sue", label="2016/17 Q4", user="gail")

    assert periods()[0][1] == PeriodStatus.CLOSED


def test_list_shows_each_period_with_status_dates_and_completion(cycle):
    submit_update(cycle.actions.review, user=cycle.mia, narrative="Meetings reviewed.")
    close_period(cycle.period, user=cycle.gail, confirm_not_accepted=True)
    open_period(cycle.strategy, "2017/18 Q1", user=cycle.gail)
    create_period(cycle.strategy, "2017/18 Q2", user=cycle.gail)

    lines = run("period", "list", strategy="sue").splitlines()

    assert lines[0] == "Service User Engagement Strategy (sue): 3 reporting periods"
    assert (
        lines[1].split()
        == (
            "2016/17 Q4 closed 2017-01-01 to 2017-03-31 updates due 2017-03-31 1 of 4 updated (25%)"
        ).split()
    )
    assert lines[2].split()[2] == "open"
    assert lines[2].endswith("0 of 4 updated (0%)")
    assert lines[3].split()[2] == "planned" and lines[3].endswith("not open yet")


def test_list_as_json(cycle):
    rows = json.loads(run("period", "list", strategy="sue", json=True))

    assert [(row["period"], row["status"]) for row in rows] == [("2016/17 Q4", "open")]


def test_list_of_a_strategy_without_periods(plan):
    assert run("period", "list", strategy="sue").splitlines() == [
        "Service User Engagement Strategy (sue): 0 reporting periods"
    ]


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (["open"], {"strategy": "nope", "label": "2017/18 Q1"}, 'no strategy with the slug "nope"'),
        (["open"], {"strategy": "sue"}, "Say which period to open with --label"),
        (["open"], {"strategy": "sue", "label": "Spring 2017"}, "is not a financial-year quarter"),
        (["open"], {"strategy": "sue", "label": "2017/19 Q1"}, "second year must follow the first"),
        (["open"], {"strategy": "sue", "label": "2017/18 Q1"}, "2016/17 Q4 is still open"),
        (["open"], {"strategy": "sue", "label": "2016/17 Q4"}, "2016/17 Q4 is already open"),
        (["open"], {"strategy": "sue", "label": "2015/16 Q1"}, "2015/16 Q1 is closed"),
        (
            ["open"],
            {"strategy": "sue", "label": "2017/18 Q1", "updates_due": "30/06/2017"},
            "not a date written as YYYY-MM-DD",
        ),
        (
            ["open"],
            {"strategy": "sue", "label": "2017/18 Q1", "updates_due": "2017-02-30"},
            "not a date written as YYYY-MM-DD",
        ),
        (
            ["open"],
            {"strategy": "sue", "label": "2017/18 Q1", "updates_due": "2017-03-31"},
            r"Updates cannot be due before the period starts \(1 April 2017\)",
        ),
        (["close"], {"strategy": "sue", "label": "2015/16 Q1"}, "2015/16 Q1 is not open"),
        (["close"], {"strategy": "sue", "label": "2018/19 Q1"}, 'sue has no period "2018/19 Q1"'),
        (["close"], {"strategy": "sue", "label": "soon"}, 'sue has no period "soon"'),
        (["close"], {"strategy": "sue", "updates_due": "2017-03-31"}, "only for opening"),
        (["list"], {"strategy": "sue", "user": "gail"}, "only for opening or closing"),
        (["open"], {"strategy": "sue", "label": "2017/18 Q1", "json": True}, "only for listing"),
    ],
)
def test_bad_requests_fail_with_one_line_and_change_nothing(cycle, args, options, message):
    old = create_period(cycle.strategy, "2015/16 Q1", user=cycle.gail)
    ReportingPeriod.objects.filter(pk=old.pk).update(status=PeriodStatus.CLOSED)
    before = periods()
    if args != ["list"]:
        options.setdefault("user", "gail")

    with pytest.raises(CommandError, match=message) as raised:
        run("period", *args, **options)

    assert "\n" not in str(raised.value)
    assert periods() == before


def test_close_without_an_open_period_fails(plan):
    with pytest.raises(CommandError, match="sue has no open period to close."):
        run("period", "close", strategy="sue", user="gail")


@pytest.mark.parametrize("username", ["mia", "nobody"])
def test_only_a_governance_account_may_open_or_close(plan, username):
    with pytest.raises(CommandError, match=f'"{username}"'):
        run("period", "open", strategy="sue", label="2017/18 Q1", user=username)

    assert periods() == []


def test_an_inactive_governance_account_may_not(plan):
    plan.gail.is_active = False
    plan.gail.save()

    with pytest.raises(CommandError, match="not an active member of the Governance group"):
        run("period", "open", strategy="sue", label="2017/18 Q1", user="gail")


def test_the_installed_command_exits_non_zero_with_one_line(tmp_path, prepared_databases):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PLANBOARD_VAR_DIR": str(tmp_path / "var"),
    }
    script = str(Path(sys.executable).with_name("planboard"))

    def planboard(*args):
        return subprocess.run(  # noqa: S603 - our own console command
            [script, *args], capture_output=True, text=True, env=env, timeout=120, check=False
        )

    prepared_databases.copy_to_file(tmp_path / "cli.sqlite3")
    for args in (["period", "list", "--strategy", "nope"], ["remind", "--strategy", "nope"]):
        done = planboard(*args)

        assert done.returncode != 0
        assert done.stdout == ""
        assert done.stderr.strip().splitlines() == [
            'CommandError: There is no strategy with the slug "nope".'
        ]
