"""The plan's filters: the plain function first, then the form on the page."""

import datetime
import re

import pytest

from planboard.plans.models import Action, ActionStatus
from planboard.web.filters import RAG_NOT_IN_KEY, RAG_NOT_RATED, PlanFilter, filter_actions
from tests.web.pages import action_refs

APRIL = datetime.date(2017, 4, 15)


def refs(actions):
    return [action.ref for action in actions.in_plan_order()]


@pytest.fixture
def actions(small_plan):
    return Action.objects.for_strategy(small_plan.strategy)


def test_no_criteria_keep_every_action(actions):
    assert refs(filter_actions(actions, PlanFilter(), APRIL)) == ["1.1", "1.2", "1.3", "2.1"]
    assert not PlanFilter().is_active


def test_it_filters_by_theme_number(actions):
    assert refs(filter_actions(actions, PlanFilter(theme=2), APRIL)) == ["2.1"]


def test_it_filters_by_area(actions, small_plan):
    area = small_plan.training.area
    assert refs(filter_actions(actions, PlanFilter(area=area.pk), APRIL)) == ["1.3"]


def test_it_filters_by_lead(actions, small_plan):
    criteria = PlanFilter(lead=small_plan.head.pk)
    assert refs(filter_actions(actions, criteria, APRIL)) == ["1.2", "1.3"]


def test_it_filters_by_rag_level(actions, small_plan):
    green = small_plan.strategy.rag_levels.get(label="Green")
    assert refs(filter_actions(actions, PlanFilter(rag=str(green.pk)), APRIL)) == ["1.1"]


def test_not_rated_means_no_rating_written(actions):
    assert refs(filter_actions(actions, PlanFilter(rag=RAG_NOT_RATED), APRIL)) == ["1.3"]


def test_not_in_key_means_a_rating_the_scale_does_not_define(actions):
    assert refs(filter_actions(actions, PlanFilter(rag=RAG_NOT_IN_KEY), APRIL)) == ["1.2"]


def test_it_filters_by_status(actions):
    criteria = PlanFilter(status=ActionStatus.NOT_STARTED)
    assert refs(filter_actions(actions, criteria, APRIL)) == ["2.1"]


def test_overdue_is_judged_on_the_as_of_date(actions):
    criteria = PlanFilter(overdue=True)
    assert refs(filter_actions(actions, criteria, APRIL)) == ["1.1"]
    assert refs(filter_actions(actions, criteria, datetime.date(2017, 5, 1))) == ["1.1", "1.2"]


def test_criteria_combine(actions, small_plan):
    criteria = PlanFilter(theme=1, lead=small_plan.em.pk, rag=RAG_NOT_IN_KEY)
    assert criteria.is_active
    assert refs(filter_actions(actions, criteria, APRIL)) == ["1.2"]


# --- the form on the plan page ------------------------------------------------------


def test_the_page_filters_by_get_parameters(signed_in, small_plan):
    response = signed_in.get("/strategies/demo/", {"rag": RAG_NOT_IN_KEY})
    assert action_refs(response) == ["1.2"]
    assert "Showing 1 of 4 actions" in response.text
    assert f'<option value="{RAG_NOT_IN_KEY}" selected' in response.text


def test_the_page_hides_themes_with_no_matching_action(signed_in, small_plan):
    response = signed_in.get("/strategies/demo/", {"theme": 2})
    assert action_refs(response) == ["2.1"]
    assert 'id="theme-1"' not in response.text


def test_the_page_keeps_the_commitments_of_a_filtered_theme_in_details(signed_in, small_plan):
    response = signed_in.get("/strategies/demo/", {"theme": 1})
    assert "Commitments of theme 1" in response.text


def test_the_page_filters_overdue_actions_as_of_today(signed_in, small_plan):
    response = signed_in.get("/strategies/demo/", {"overdue": "on"})
    assert action_refs(response) == ["1.1", "1.2"]
    assert 'name="overdue" type="checkbox" value="on" checked' in response.text
    assert 'value="" selected' in response.text


def test_the_page_ignores_a_value_that_is_not_a_choice(signed_in, small_plan):
    response = signed_in.get("/strategies/demo/", {"theme": "99", "lead": "x", "rag": "nope"})
    assert response.status_code == 200
    assert action_refs(response) == ["1.1", "1.2", "1.3", "2.1"]


def test_the_page_says_when_nothing_matches(signed_in, small_plan):
    response = signed_in.get("/strategies/demo/", {"theme": 2, "status": "complete"})
    assert "No actions match these filters." in response.text


def test_the_lead_choices_mark_leads_not_in_the_key(signed_in, small_plan):
    response = signed_in.get("/strategies/demo/")
    assert re.search(r"<option value=\"\d+\"\s*>Finance \(not in key\)</option>", response.text)
