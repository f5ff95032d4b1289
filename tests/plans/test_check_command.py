"""``planboard check``: the plan checker with --strategy, Django's system checks without."""

import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from planboard.progress.checker import check_report
from tests.builders import make_action, make_role, make_strategy, make_theme
from tests.console import planboard as planboard_here


def run(*args, **options):
    out = StringIO()
    call_command("check", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def strategy(db):
    """One action rated "Yellow", with no lead, due in March 2017."""
    strategy = make_strategy(slug="plan", title="Engagement strategy")
    theme = make_theme(strategy, number=1, commitments=1)
    lead = make_role(strategy, "Engagement Manager", "EM")
    make_action(theme, area="SUSEG", commitments=theme.commitments.all(), leads=[lead])
    make_action(theme, area="SUSEG", commitments=theme.commitments.all(), rating="Yellow")
    return strategy


def test_it_prints_the_findings_as_json(strategy):
    output = run(strategy="plan", as_of="2017-04-01", json=True)

    report = json.loads(output)
    assert report == check_report(strategy, datetime.date(2017, 4, 1))
    assert report["summary"] == {
        "RAG_NOT_IN_KEY": 1,
        "RAG_MISSING": 1,
        "LEAD_MISSING": 1,
        "OVERDUE": 2,
    }


def test_it_prints_a_readable_list_with_counts_first(strategy):
    lines = run(strategy="plan", as_of="2017-04-01").splitlines()

    assert lines[0] == "Engagement strategy (plan) as of 2017-04-01: 5 findings"
    assert lines[1].split() == ["RAG_NOT_IN_KEY", "1", "Rating", "not", "in", "the", "RAG", "key"]
    assert [line.split()[:2] for line in lines[2:5]] == [
        ["RAG_MISSING", "1"],
        ["LEAD_MISSING", "1"],
        ["OVERDUE", "2"],
    ]
    assert lines[5] == ""
    assert lines[6].split(maxsplit=2) == ["RAG_MISSING", "1.1", "Action 1.1 has no RAG rating."]
    assert len(lines) == 11


def test_it_says_when_a_plan_has_no_findings(strategy):
    output = run(strategy="plan", as_of="2017-03-01")

    assert "3 findings" in output
    empty = make_strategy(slug="empty", title="Empty")
    assert run(strategy=empty.slug).strip() == (
        f"Empty (empty) as of {timezone.localdate().isoformat()}: 0 findings"
    )


def test_it_checks_as_of_today_in_the_trust_time_zone(strategy):
    report = json.loads(run(strategy="plan", json=True))

    assert report["as_of"] == timezone.localdate().isoformat()
    assert report["summary"]["OVERDUE"] == 2


def test_it_rejects_an_unknown_strategy(db):
    with pytest.raises(CommandError, match='^There is no strategy with the slug "nope".$'):
        run(strategy="nope")


@pytest.mark.parametrize("value", ["2017-13-01", "2017-4-1", "01/04/2017", "20170401", "soon"])
def test_it_rejects_a_date_not_written_as_yyyy_mm_dd(strategy, value):
    with pytest.raises(CommandError, match=f'^--as-of "{value}" is not a date'):
        run(strategy="plan", as_of=value)


def test_it_rejects_plan_options_without_a_strategy():
    with pytest.raises(CommandError, match="need --strategy"):
        run(json=True)


def test_it_rejects_a_strategy_with_system_check_options(strategy):
    with pytest.raises(CommandError, match="cannot be combined"):
        run(strategy="plan", deploy=True)


def test_it_runs_djangos_system_checks_without_a_strategy():
    assert run() == "System check identified no issues (0 silenced).\n"


@override_settings(SECURE_HSTS_SECONDS=0)
def test_it_runs_djangos_deployment_checks_with_deploy():
    err = StringIO()
    call_command("check", deploy=True, stdout=err, stderr=err)

    assert "security.W004" in err.getvalue()


@pytest.fixture(scope="module")
def planboard(tmp_path_factory, prepared_databases):
    """The real console script against a fresh, migrated SQLite database."""
    folder = tmp_path_factory.mktemp("planboard")
    prepared_databases.copy_to_file(folder / "planboard.sqlite3")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'planboard.sqlite3'}",
        "PLANBOARD_VAR_DIR": str(folder),
        "HTTPS": "false",
        "DEBUG": "false",
    }
    script = Path(sys.executable).with_name("planboard")

    def planboard(*args):
        return subprocess.run(  # noqa: S603 - our own console script
            [str(script), *args], env=env, capture_output=True, text=True, timeout=120
        )

    return planboard


def test_the_installed_command_checks_a_synthetic_plan_as_json(planboard):
    built = planboard("synthetic-plan", "--slug", "big", "--actions", "300")
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["actions"] == 300

    checked = planboard("check", "--strategy", "big", "--as-of", "2018-01-01", "--json")

    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert (report["strategy"], report["as_of"]) == ("big", "2018-01-01")
    assert sum(report["summary"].values()) == len(report["findings"]) > 0
    assert set(report["findings"][0]) == {"code", "kind", "ref", "message"}


@pytest.mark.django_db
def test_the_command_fails_with_one_line_on_an_unknown_strategy():
    checked = planboard_here("check", "--strategy", "nope")

    assert checked.returncode != 0
    assert checked.stderr.strip().splitlines() == [
        'CommandError: There is no strategy with the slug "nope".'
    ]


def test_the_command_still_runs_djangos_deployment_checks():
    checked = planboard_here("check", "--deploy")

    assert checked.returncode == 0, checked.stderr
    assert "security.W004" in checked.stderr + checked.stdout


@pytest.mark.subprocess
@pytest.mark.own_sqlite
def test_the_installed_command_fails_with_one_line_on_an_unknown_strategy(planboard):
    checked = planboard("check", "--strategy", "nope")

    assert checked.returncode != 0
    assert checked.stderr.strip().splitlines() == [
        'CommandError: There is no strategy with the slug "nope".'
    ]


@pytest.mark.subprocess
@pytest.mark.own_sqlite
def test_the_installed_command_still_runs_djangos_deployment_checks(planboard):
    checked = planboard("check", "--deploy")

    assert checked.returncode == 0, checked.stderr
    assert "security.W004" in checked.stderr + checked.stdout
