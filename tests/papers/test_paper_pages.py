"""The papers pages: the list of periods and the paper for one, for anyone signed in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planboard.progress.services import close_period, open_period
from tests.builders import make_large_plan
from tests.progress.cycle import Q3, governance


@pytest.fixture
def reader(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader"))
    return client


def test_the_papers_page_lists_the_periods_with_links(reader, seed_strategy, closed_q3):
    response = reader.get(reverse("papers", kwargs={"slug": "sue"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/strategies/sue/papers/2016-17-q3/"' in html
    assert ">Papers</a>" in html


def test_the_paper_page_renders_the_closed_period_for_a_signed_in_reader(
    reader, seed_strategy, closed_q3
):
    response = reader.get(reverse("paper", kwargs={"slug": "sue", "period": "2016-17-q3"}))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Cover sheet", "Summary report", "At a glance", "Exceptions", "RAG key"):
        assert heading in html
    assert "Service User Engagement Strategy Implementation Plan" in html
    assert 'nhsuk-tag--green">Green</strong>' in html
    assert 'Yellow</strong> <span class="pb-note pb-nowrap">(not in key)</span>' in html
    assert "/static/planboard/paper." in html
    assert "<style" not in html
    assert "<script>" not in html


def test_the_paper_page_is_404_for_an_unknown_period(reader, seed_strategy, closed_q3):
    response = reader.get(reverse("paper", kwargs={"slug": "sue", "period": "2030-31-q1"}))
    assert response.status_code == 404


def test_the_paper_page_needs_a_signed_in_user(client, seed_strategy, closed_q3):
    response = client.get(reverse("paper", kwargs={"slug": "sue", "period": "2016-17-q3"}))
    assert response.status_code == 302


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("closed", [False, True])
def test_the_paper_page_costs_the_same_for_a_plan_ten_times_larger(reader, db, closed):
    gail = governance()
    counts = []
    for slug, size in (("small", 49), ("large", 490)):
        strategy = make_large_plan(slug=slug, actions=size)
        period = open_period(strategy, Q3, user=gail)
        if closed:
            close_period(period, user=gail)
        counts.append(
            _count(reader, reverse("paper", kwargs={"slug": slug, "period": "2016-17-q3"}))
        )
    assert counts[0] == counts[1]
