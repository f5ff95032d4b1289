"""Every page with the real board paper the product is built from (strategy "sue")."""

import re

import pytest
from django.urls import reverse

from planboard.web.filters import RAG_NOT_IN_KEY, RAG_NOT_RATED
from tests.web.pages import action_refs


@pytest.fixture
def seed(signed_in, seed_strategy):
    return signed_in


def test_the_plan_shows_all_49_actions(seed):
    response = seed.get("/strategies/sue/")
    assert response.status_code == 200
    assert len(action_refs(response)) == 49
    assert "49 actions" in response.text
    assert "Focussed Culture Change" in response.text
    assert "SUSEG" in response.text


def test_the_plan_shows_the_four_yellow_rows_as_not_in_key(seed):
    response = seed.get("/strategies/sue/", {"rag": RAG_NOT_IN_KEY})
    assert len(action_refs(response)) == 4
    assert response.text.count(">Yellow</strong>") == 4
    assert response.text.count("(not in key)") >= 4


def test_the_plan_shows_the_forty_rows_without_a_rating(seed):
    response = seed.get("/strategies/sue/", {"rag": RAG_NOT_RATED})
    assert len(action_refs(response)) == 40


def test_the_commitments_page_marks_1_11_as_not_served(seed):
    text = seed.get(reverse("commitments", kwargs={"slug": "sue"})).text
    block = re.search(r'id="commitment-1-11">(.*?)</li>', text, re.S).group(1)
    assert "Not served by any action" in block


def test_the_action_page_for_1_2_shows_yellow_as_written(seed):
    response = seed.get(reverse("action", kwargs={"slug": "sue", "ref": "1.2"}))
    assert response.status_code == 200
    assert "As written in the source: Yellow" in response.text


def test_the_people_page_shows_the_key(seed):
    text = seed.get(reverse("people", kwargs={"slug": "sue"})).text
    assert "Jane Lyon" in text
    assert "Engagement Manager" in text


def test_the_findings_page_reports_the_papers_faults(seed):
    response = seed.get(reverse("findings", kwargs={"slug": "sue"}), {"as_of": "2017-03-08"})
    assert response.status_code == 200
    assert 'id="code-rag-not-in-key"' in response.text
    assert 'id="code-rag-missing"' in response.text


def test_the_home_page_counts_the_seeds_ratings(seed):
    text = seed.get("/").text
    assert "Green: 5" in text
    assert "Not rated: 40" in text
    assert "Rating not in key: 4" in text
