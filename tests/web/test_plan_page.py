import re

import pytest
from django.urls import reverse

from tests.web.pages import action_refs


@pytest.fixture
def page(signed_in, small_plan):
    return signed_in.get(reverse("plan", kwargs={"slug": "demo"}))


def test_it_shows_every_action_in_plan_order(page):
    assert page.status_code == 200
    assert action_refs(page) == ["1.1", "1.2", "1.3", "2.1"]


def test_it_shows_each_theme_with_its_numbered_commitments(page):
    assert "Focussed Culture Change" in page.text
    assert "Communication and Reach" in page.text
    assert '<li value="3">We will do thing 3.</li>' in page.text


def test_it_groups_actions_by_area_with_the_commitments_the_area_cites(page):
    assert re.search(r"SUSEG\s*<span class=\"pb-note\">– commitments 1, 2</span>", page.text)
    assert "Quality Improvement Team" in page.text


def test_it_links_each_ref_to_its_action_page(page):
    assert 'href="/strategies/demo/actions/1.2/"' in page.text


def test_it_shows_targets_to_the_month_and_completed_actions_as_completed(page):
    assert "Mar 2017" in page.text
    assert "Apr 2017" in page.text
    assert "Completed" in page.text


def test_it_shows_ratings_as_tags_with_their_text(page):
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Green</strong>' in page.text
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">Amber</strong>' in page.text


def test_it_shows_a_rating_outside_the_key_as_written_and_marked(page):
    assert (
        '<strong class="nhsuk-tag nhsuk-tag--yellow">Yellow</strong> '
        '<span class="pb-note pb-nowrap">(not in key)</span>'
    ) in page.text


def test_it_shows_a_missing_rating_as_not_rated(page):
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">Not rated</strong>' in page.text


def test_it_shows_leads_by_their_short_names(page):
    assert "EM, Head of SUEMU" in page.text


def test_it_links_the_strategy_sections(page):
    for name in ["commitments", "people", "findings"]:
        assert f'href="/strategies/demo/{name}/"' in page.text
    assert 'aria-current="page">Plan</a>' in page.text


def test_it_greets_the_user_and_offers_sign_out(page):
    assert "Oscar Tester" in page.text
    assert 'action="/sign-out/" method="post"' in page.text


def test_it_is_404_for_an_unknown_strategy(signed_in, db):
    assert signed_in.get(reverse("plan", kwargs={"slug": "nope"})).status_code == 404
