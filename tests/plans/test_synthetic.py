"""Synthetic plans: large, realistic and the same for the same seed."""

import calendar
import datetime
import json
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from planboard.plans.models import Action, ActionStatus, Commitment, DatePrecision, Strategy
from planboard.plans.synthetic import build_synthetic_plan
from planboard.progress.checker import FindingCode, run_checks, summarise
from planboard.progress.services import open_period
from tests.builders import make_large_plan, make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return make_large_plan(slug="large")


def describe(strategy):
    """Everything about a plan's actions that a seed should fix."""
    return [
        (
            action.ref,
            action.area.name if action.area else None,
            action.text,
            action.rag_text,
            action.target_date,
            action.status,
            action.lead_text,
            tuple(action.cited_commitments),
            tuple(sorted(c.ref for c in action.commitments.all())),
        )
        for action in Action.objects.for_strategy(strategy).with_plan_relations().in_plan_order()
    ]


def test_it_builds_the_requested_number_of_actions_over_the_themes(plan):
    themes = list(plan.themes.all())

    assert len(themes) == 6
    assert Action.objects.for_strategy(plan).count() == 490
    assert sorted(theme.actions.count() for theme in themes) == [81, 81, 82, 82, 82, 82]
    assert all(6 <= theme.commitments.count() <= 10 for theme in themes)


def test_it_builds_the_same_plan_for_the_same_seed():
    first = build_synthetic_plan("first", actions=60, seed=7)
    again = build_synthetic_plan("again", actions=60, seed=7)
    other = build_synthetic_plan("other", actions=60, seed=8)

    assert describe(first) == describe(again)
    assert describe(first) != describe(other)


def test_it_gives_the_plan_the_default_rag_scale(plan):
    assert [level.label for level in plan.rag_levels.all()] == ["Green", "Amber", "Red"]


def test_it_shares_areas_across_themes(plan):
    themes_per_area = [area.actions.values("theme").distinct().count() for area in plan.areas.all()]

    assert max(themes_per_area) > 1


def test_it_has_roles_in_and_out_of_the_key_held_by_people(plan):
    roles = list(plan.roles.all())

    assert any(role.in_key for role in roles)
    assert any(not role.in_key for role in roles)
    assert all(role.people.exists() for role in roles if role.in_key)
    assert plan.people.filter(is_ebe_lead=True).exists()


def test_it_mixes_ratings_including_ones_the_key_lacks(plan):
    actions = Action.objects.for_strategy(plan)

    assert {a.rag_level.label for a in actions.exclude(rag_level=None)} == {
        "Green",
        "Amber",
        "Red",
    }
    assert actions.rated_outside_key().exists()
    assert actions.not_rated().exists()


def test_it_sets_targets_to_month_ends_from_2017_to_2019(plan):
    actions = Action.objects.for_strategy(plan)
    targets = [a.target_date for a in actions.exclude(target_date=None)]

    assert {a.target_precision for a in actions} == {DatePrecision.MONTH}
    assert min(targets) >= datetime.date(2017, 1, 31)
    assert max(targets) <= datetime.date(2019, 12, 31)
    assert all(d.day == calendar.monthrange(d.year, d.month)[1] for d in targets)
    assert actions.filter(target_date__gt=datetime.date(2019, 1, 1)).exists()


def test_it_completes_some_actions_and_leaves_some_without_leads(plan):
    actions = Action.objects.for_strategy(plan)

    complete = actions.filter(status=ActionStatus.COMPLETE)
    assert 0.05 < complete.count() / actions.count() < 0.3
    assert not complete.filter(completed_on=None).exists()
    assert actions.filter(leads=None, lead_text="").exists()


def test_it_gives_the_checker_every_kind_of_finding(plan):
    # NOT_UPDATED needs an open period, which a synthetic plan does not have.
    assert FindingCode.NOT_UPDATED not in summarise(run_checks(plan, datetime.date(2018, 1, 1)))
    open_period(plan, "2017/18 Q3", user=None)

    summary = summarise(run_checks(plan, datetime.date(2018, 1, 1)))

    assert set(summary) == set(FindingCode)


def test_it_records_a_created_history_row_for_each_action(plan):
    history = Action.history.filter(theme__strategy=plan)

    assert history.count() == 490
    assert set(history.values_list("history_type", flat=True)) == {"+"}


def test_it_builds_5000_actions_in_a_few_seconds():
    started = time.perf_counter()
    strategy = build_synthetic_plan("huge", actions=5000)
    elapsed = time.perf_counter() - started

    assert Action.objects.for_strategy(strategy).count() == 5000
    assert elapsed < 15


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"slug": "taken"}, 'A strategy with the slug "taken" already exists.'),
        ({"slug": "not a slug"}, '"not a slug" is not a valid slug'),
        ({"slug": "new", "actions": 0}, "at least one action and one theme"),
        ({"slug": "new", "themes": 0}, "at least one action and one theme"),
    ],
)
def test_it_refuses_bad_arguments(arguments, message):
    make_strategy(slug="taken")

    with pytest.raises(ValueError, match=message):
        build_synthetic_plan(**arguments)

    assert Strategy.objects.count() == 1


def test_the_command_prints_a_json_summary():
    out = StringIO()
    call_command("synthetic_plan", slug="cmd", actions=120, themes=4, stdout=out)

    assert json.loads(out.getvalue()) == {
        "strategy": "cmd",
        "themes": 4,
        "commitments": Commitment.objects.filter(theme__strategy__slug="cmd").count(),
        "areas": 12,
        "actions": 120,
        "roles": 19,
        "people": 20,
    }


def test_the_command_rejects_an_existing_slug():
    make_strategy(slug="taken")

    with pytest.raises(CommandError, match='^A strategy with the slug "taken" already exists.$'):
        call_command("synthetic_plan", slug="taken", stdout=StringIO())
