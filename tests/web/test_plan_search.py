"""Searching the plan by ref and by words: the plain function first, then the page."""

import csv
import io
import re

import pytest

from planboard.plans.models import Action
from planboard.web.filters import PlanFilter, filter_actions
from tests.web.pages import action_refs
from tests.web.test_plan_filters import APRIL, refs

PLAN = "/strategies/demo/"


@pytest.fixture
def actions(small_plan):
    return Action.objects.for_strategy(small_plan.strategy)


def found(actions, search, **criteria):
    return refs(filter_actions(actions, PlanFilter(search=search, **criteria), APRIL))


def test_a_ref_finds_that_action_only(actions):
    assert found(actions, "1.2") == ["1.2"]
    assert found(actions, " 2.1 ") == ["2.1"]


def test_a_theme_number_finds_the_actions_of_that_theme(actions):
    assert found(actions, "1") == ["1.1", "1.2", "1.3"]
    assert found(actions, "1.") == ["1.1", "1.2", "1.3"]
    assert found(actions, "3") == []


def test_a_ref_is_matched_whole_not_as_the_start_of_a_longer_number(actions, small_plan):
    for number in range(4, 11):  # actions 1.4 ... 1.10
        Action.objects.create(theme=small_plan.culture, number=number, text="Later.")
    assert found(actions, "1.1") == ["1.1"]
    assert found(actions, "1.10") == ["1.10"]


def test_the_ref_the_tracker_wrote_finds_its_action_exactly_or_by_its_start(actions):
    Action.objects.filter(theme__number=2, number=1).update(ref_as_written="A12.3")
    assert found(actions, "a12.3") == ["2.1"]
    assert found(actions, "A12") == ["2.1"]
    assert found(actions, "A1") == []


def test_words_find_actions_whose_text_holds_every_word_in_any_order(actions):
    assert found(actions, "suseg REVIEW") == ["1.1"]
    assert found(actions, "service user") == ["1.2", "1.3", "2.1"]
    assert found(actions, "service meetings") == []


def test_words_are_found_in_the_latest_progress_too(actions):
    Action.objects.filter(theme__number=2, number=1).update(progress="Leaflets went to print.")
    assert found(actions, "leaflets") == ["2.1"]
    assert found(actions, "revise print") == ["2.1"]


def test_a_wildcard_of_the_database_is_an_ordinary_character(actions):
    assert found(actions, "%") == []
    assert found(actions, "_") == []


def test_the_search_combines_with_the_filters(actions, small_plan):
    assert found(actions, "service", lead=small_plan.head.pk) == ["1.2", "1.3"]
    assert PlanFilter(search="1.2").is_active


def test_a_blank_search_keeps_every_action(actions):
    assert found(actions, "   ") == ["1.1", "1.2", "1.3", "2.1"]


# --- the search box on the plan page -----------------------------------------------


def test_the_page_searches_by_get_parameter_and_shows_the_search_filled_in(signed_in, small_plan):
    response = signed_in.get(PLAN, {"search": "service user", "theme": 1})
    assert action_refs(response) == ["1.2", "1.3"]
    assert "Showing 2 of 4 actions" in response.text
    assert 'name="search" type="search" spellcheck="false" value="service user"' in response.text
    assert '<option value="1" selected' in response.text
    assert f'<a class="pb-filters__clear" href="{PLAN}">Clear search and filters</a>' in (
        response.text
    )


def test_the_downloads_carry_the_search(signed_in, small_plan):
    response = signed_in.get(PLAN, {"search": "1.2"})
    assert "/strategies/demo/plan.csv?search=1.2" in response.text
    download = signed_in.get("/strategies/demo/plan.csv", {"search": "1.2"})
    rows = list(csv.reader(io.StringIO(download.getvalue().decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["1.2"]


def test_the_page_says_when_nothing_matches_the_search_and_how_to_clear_it(signed_in, small_plan):
    response = signed_in.get(PLAN, {"search": "hovercraft"})
    assert action_refs(response) == []
    assert "Showing 0 of 4 actions" in response.text
    assert (
        f'<p id="no-match">No actions match this search. <a href="{PLAN}">'
        "Clear search and filters</a></p>"
    ) in response.text
    response = signed_in.get(PLAN, {"search": "service", "status": "complete", "theme": 2})
    assert "No actions match this search and these filters." in response.text


@pytest.mark.parametrize(
    ("search", "message"),
    [
        ("x" * 101, "Search must be 100 characters or fewer"),
        ("a\x00b", "Search must not contain a null character"),
    ],
)
def test_a_search_it_cannot_use_is_named_and_the_whole_plan_shown(
    signed_in, small_plan, search, message
):
    response = signed_in.get(PLAN, {"search": search})
    assert response.status_code == 200
    assert "<title>Error: Plan – " in response.text
    assert re.search(rf'<a href="#filter-search"\s*>\s*{message}\s*</a>', response.text)
    assert f'<span class="nhsuk-u-visually-hidden">Error: </span>{message}' in response.text
    assert action_refs(response) == ["1.1", "1.2", "1.3", "2.1"]
